// The kiosk protocol's browser side (docs/kiosk-bridge.md): challenge, hello, heartbeats, acks, replay on
// reconnect, requests with replies, device commands. No build step; every page includes this file.
(function () {
  'use strict';

  function param(name) {
    return new URLSearchParams(location.search).get(name);
  }

  // The device's id and token come in the URL once (?device=..&token=..) and are kept for later loads.
  function credentials() {
    var device = param('device') || localStorage.getItem('huitong.device');
    var token = param('token') || localStorage.getItem('huitong.token.' + device);
    if (device && token) {
      localStorage.setItem('huitong.device', device);
      localStorage.setItem('huitong.token.' + device, token);
    }
    return { device: device, token: token };
  }

  function KioskClient(handlers) {
    this.handlers = handlers || {};
    this.creds = credentials();
    this.seqKey = 'huitong.seq.' + this.creds.device;
    var kept = sessionStorage.getItem(this.seqKey);
    this.lastSeq = kept === null ? null : Number(kept);
    this.pending = {};
    this.nextId = 1;
    this.online = true;
    this.retryMillis = 500;
    this.device = null;
  }

  KioskClient.prototype.connect = function () {
    var self = this;
    if (!self.creds.device || !self.creds.token) {
      self.status('no device: open this page with ?device=<id>&token=<token>');
      return;
    }
    var scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    var ws = new WebSocket(scheme + location.host + '/ws');
    self.ws = ws;
    ws.onmessage = function (e) { self.onFrame(JSON.parse(e.data)); };
    ws.onclose = function () {
      clearInterval(self.beat);
      self.status('offline');
      if (self.handlers.onStatus) self.handlers.onStatus(false);
      Object.keys(self.pending).forEach(function (id) {
        self.pending[id].reject({ code: 'HT-KIOSK-DISCONNECTED', message: 'the connection closed' });
      });
      self.pending = {};
      if (self.online) {
        setTimeout(function () { if (self.online) self.connect(); }, self.retryMillis);
        self.retryMillis = Math.min(self.retryMillis * 2, 10000);
      }
    };
  };

  KioskClient.prototype.status = function (text) {
    var el = document.getElementById('status');
    if (el) el.textContent = text;
  };

  KioskClient.prototype.send = function (frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  };

  KioskClient.prototype.onFrame = function (f) {
    var self = this;
    var h = self.handlers;
    switch (f.type) {
      case 'challenge':
        self.send({ type: 'hello', deviceId: self.creds.device, token: self.creds.token, lastSeq: self.lastSeq,
          version: 2 });
        self.beat = setInterval(function () { self.send({ type: 'heartbeat' }); }, Math.max(1, f.heartbeatSeconds) * 1000);
        break;
      case 'welcome':
        self.device = f;
        self.retryMillis = 500;
        self.status('online');
        if (h.onWelcome) h.onWelcome(f);
        if (h.onStatus) h.onStatus(true);
        break;
      case 'snapshot':
        self.seen(f.seq);
        if (h.onSnapshot) h.onSnapshot(f.snapshot, f.seq);
        break;
      case 'event':
        if (h.onEvent) h.onEvent(f.event, f.seq);
        self.seen(f.seq);
        break;
      case 'events':
        // One queue transaction's events, in order: shown one by one, acknowledged once.
        f.events.forEach(function (e) { if (h.onEvent) h.onEvent(e, e.seq); });
        self.seen(f.seq);
        break;
      case 'reply':
        var waiting = self.pending[f.id];
        delete self.pending[f.id];
        if (waiting) {
          if (f.ok) waiting.resolve(f.body || {});
          else waiting.reject(f.error);
        }
        break;
      case 'command':
        self.command(f);
        break;
      case 'assist':
        if (h.onAssist) h.onAssist(f);
        break;
      case 'error':
        self.status('error ' + f.code + ': ' + f.message);
        if (h.onError) h.onError(f);
        break;
      default:
        break;
    }
  };

  // Shown, so acknowledged: a reconnect resumes after it.
  KioskClient.prototype.seen = function (seq) {
    this.lastSeq = seq;
    sessionStorage.setItem(this.seqKey, String(seq));
    this.send({ type: 'ack', seq: seq });
  };

  KioskClient.prototype.command = function (f) {
    var ok = true;
    var detail = null;
    if (f.command === 'reload') {
      this.send({ type: 'command-result', commandId: f.commandId, ok: true });
      location.reload();
      return;
    } else if (f.command === 'volume') {
      document.querySelectorAll('audio').forEach(function (a) { a.volume = f.volume / 100; });
      localStorage.setItem('huitong.volume', String(f.volume));
    } else {
      ok = false;
      detail = 'a browser page cannot reboot its machine; reloaded instead';
      setTimeout(function () { location.reload(); }, 100);
    }
    this.send({ type: 'command-result', commandId: f.commandId, ok: ok, detail: detail });
    if (this.handlers.onCommand) this.handlers.onCommand(f);
  };

  // A request; resolves with the reply's body, rejects with {code, message}.
  KioskClient.prototype.request = function (action, body) {
    var self = this;
    var id = 'r' + (self.nextId++);
    return new Promise(function (resolve, reject) {
      self.pending[id] = { resolve: resolve, reject: reject };
      self.send({ type: 'request', id: id, action: action, body: body || {} });
    });
  };

  KioskClient.prototype.telemetry = function (paper, faults) {
    this.send({ type: 'telemetry', paper: paper, faults: faults || [] });
  };

  // Takes the page off the network until goOnline(): what a screen losing its cable looks like.
  KioskClient.prototype.goOffline = function () {
    this.online = false;
    if (this.ws) this.ws.close();
  };

  KioskClient.prototype.goOnline = function () {
    if (this.online) return;
    this.online = true;
    this.retryMillis = 500;
    this.connect();
  };

  window.KioskClient = KioskClient;
  window.kioskText = function (el, text) {
    el.textContent = text === undefined || text === null ? '' : String(text);
    return el;
  };
})();
