-- Hall queue calling (排队叫号). Every state change of a hall runs as one function call, so as one transaction, that
-- first locks the hall's row: the row is the hall's event counter, so the lock both serialises the hall's commands
-- across cluster members (call-next is atomic) and keeps the event seq gapless (a rolled-back command rolls its seq
-- back too). One round trip per command keeps the lock short. See docs/queue.md.

CREATE TABLE hall (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  seq        bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE business_queue (
  id              text PRIMARY KEY,
  hall_id         text NOT NULL REFERENCES hall,
  prefix          text NOT NULL,
  name            text NOT NULL,
  number_day      date,
  last_number     int NOT NULL DEFAULT 0,
  service_seconds double precision NOT NULL,
  UNIQUE (hall_id, prefix)
);

CREATE TABLE service_window (
  id             text PRIMARY KEY,
  hall_id        text NOT NULL REFERENCES hall,
  number         int NOT NULL,
  name           text NOT NULL,
  state          text NOT NULL DEFAULT 'offline' CHECK (state IN ('offline', 'idle', 'serving', 'paused')),
  state_since    timestamptz NOT NULL DEFAULT now(),
  serving_ticket uuid,
  UNIQUE (hall_id, number)
);

CREATE TABLE window_queue (
  window_id text NOT NULL REFERENCES service_window ON DELETE CASCADE,
  queue_id  text NOT NULL REFERENCES business_queue,
  PRIMARY KEY (window_id, queue_id)
);
CREATE INDEX window_queue_by_queue ON window_queue (queue_id);

CREATE SEQUENCE ticket_position;

CREATE TABLE ticket (
  id               uuid PRIMARY KEY,
  hall_id          text NOT NULL REFERENCES hall,
  queue_id         text NOT NULL REFERENCES business_queue,
  number           text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('normal', 'appointment', 'vip', 'green-channel')),
  priority         int NOT NULL,
  position         bigint NOT NULL,
  state            text NOT NULL CHECK (state IN ('waiting', 'called', 'held', 'skipped', 'finished')),
  channel          text NOT NULL CHECK (channel IN ('id-card', 'phone', 'appointment')),
  id_number_sealed bytea,
  id_number_index  text,
  phone_sealed     bytea,
  phone_index      text,
  appointment_id   text,
  taken_by         text NOT NULL,
  taken_at         timestamptz NOT NULL DEFAULT now(),
  window_id        text REFERENCES service_window,
  called_at        timestamptz,
  call_count       int NOT NULL DEFAULT 0,
  skipped_at       timestamptz,
  serving_since    timestamptz,
  service_seconds  double precision NOT NULL DEFAULT 0,
  transfer_count   int NOT NULL DEFAULT 0,
  finished_at      timestamptz
);
CREATE INDEX ticket_waiting ON ticket (queue_id, priority DESC, position) WHERE state = 'waiting';
CREATE UNIQUE INDEX ticket_appointment ON ticket (hall_id, appointment_id) WHERE appointment_id IS NOT NULL;
CREATE INDEX ticket_id_number ON ticket (id_number_index) WHERE id_number_index IS NOT NULL;
CREATE INDEX ticket_phone ON ticket (phone_index) WHERE phone_index IS NOT NULL;

-- The hall's journal: every event, with the hall's seq, written in the transaction of the change it reports.
CREATE TABLE hall_event (
  hall_id text NOT NULL REFERENCES hall,
  seq     bigint NOT NULL,
  type    text NOT NULL,
  at      timestamptz NOT NULL,
  body    jsonb NOT NULL,
  PRIMARY KEY (hall_id, seq)
);
CREATE INDEX hall_event_calls ON hall_event (hall_id, seq DESC) WHERE type = 'ticket.called';

CREATE FUNCTION fail(status int, code text, detail text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'HQ' || status, MESSAGE = code || ': ' || detail;
END $$;

-- Locks the hall for the rest of the transaction; fails HT-QUEUE-HALL-NOT-FOUND.
CREATE FUNCTION lock_hall(p_hall text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM queue.hall WHERE id = p_hall FOR UPDATE;
  IF NOT FOUND THEN
    PERFORM queue.fail(404, 'HT-QUEUE-HALL-NOT-FOUND', 'No hall ' || p_hall);
  END IF;
END $$;

-- Appends one event with the hall's next seq; the caller holds the hall's lock.
CREATE FUNCTION emit(p_hall text, p_type text, p_body jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  s  bigint;
  ev jsonb;
BEGIN
  UPDATE queue.hall SET seq = seq + 1 WHERE id = p_hall RETURNING seq INTO s;
  ev := jsonb_build_object('hall', p_hall, 'seq', s, 'type', p_type,
      'at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) || p_body;
  INSERT INTO queue.hall_event (hall_id, seq, type, at, body) VALUES (p_hall, s, p_type, now(), ev);
  RETURN ev;
END $$;

-- Waiting count and estimated wait of a queue: waiting × EWMA(service time) / open windows serving it.
CREATE FUNCTION queue_stats(p_queue text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('queue', q.id, 'waiting', w.waiting,
      'estimatedWaitSeconds', round(w.waiting * q.service_seconds / greatest(o.open, 1))::bigint)
  FROM queue.business_queue q,
       LATERAL (SELECT count(*) AS waiting FROM queue.ticket t WHERE t.queue_id = q.id AND t.state = 'waiting') w,
       LATERAL (SELECT count(*) AS open FROM queue.window_queue wq JOIN queue.service_window sw ON sw.id = wq.window_id
                WHERE wq.queue_id = q.id AND sw.state IN ('idle', 'serving')) o
  WHERE q.id = p_queue
$$;

CREATE FUNCTION ticket_json(t queue.ticket) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object('id', t.id, 'number', t.number, 'hall', t.hall_id, 'queue', t.queue_id,
      'kind', t.kind, 'state', t.state, 'channel', t.channel, 'appointmentId', t.appointment_id,
      'takenAt', to_char(t.taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      'window', t.window_id, 'windowNumber', (SELECT number FROM queue.service_window WHERE id = t.window_id),
      'callCount', t.call_count, 'transferCount', t.transfer_count))
$$;

CREATE FUNCTION window_json(w queue.service_window) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('id', w.id, 'number', w.number, 'name', w.name, 'state', w.state,
      'queues', (SELECT coalesce(jsonb_agg(queue_id ORDER BY queue_id), '[]') FROM queue.window_queue WHERE window_id = w.id),
      'serving', (SELECT jsonb_build_object('ticket', t.id, 'number', t.number) FROM queue.ticket t WHERE t.id = w.serving_ticket))
$$;

-- What events about a ticket at a window carry: ticket, number, queue, window, windowNumber.
CREATE FUNCTION call_fields(t queue.ticket, p_window text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('ticket', t.id, 'number', t.number, 'queue', t.queue_id, 'kind', t.kind,
      'window', p_window, 'windowNumber', (SELECT number FROM queue.service_window WHERE id = p_window))
$$;

-- Sets a window's state and returns its window.state event plus queue.stats of every queue it serves when the
-- number of open windows changed.
CREATE FUNCTION set_window(p_hall text, p_window text, p_state text, p_ticket uuid) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  before text;
  w      queue.service_window;
  evs    jsonb := '[]';
  q      text;
BEGIN
  SELECT state INTO before FROM queue.service_window WHERE id = p_window;
  UPDATE queue.service_window SET state = p_state, state_since = now(), serving_ticket = p_ticket
    WHERE id = p_window RETURNING * INTO w;
  evs := evs || queue.emit(p_hall, 'window.state', jsonb_build_object('window', w.id, 'windowNumber', w.number,
      'state', w.state, 'serving', (SELECT jsonb_build_object('ticket', t.id, 'number', t.number)
                                    FROM queue.ticket t WHERE t.id = p_ticket)));
  IF (before IN ('idle', 'serving')) <> (p_state IN ('idle', 'serving')) THEN
    FOR q IN SELECT queue_id FROM queue.window_queue WHERE window_id = p_window ORDER BY queue_id LOOP
      evs := evs || queue.emit(p_hall, 'queue.stats', queue.queue_stats(q));
    END LOOP;
  END IF;
  RETURN evs;
END $$;

CREATE FUNCTION find_ticket(p_hall text, p_ticket uuid) RETURNS queue.ticket LANGUAGE plpgsql AS $$
DECLARE
  t queue.ticket;
BEGIN
  SELECT * INTO t FROM queue.ticket WHERE id = p_ticket AND hall_id = p_hall;
  IF NOT FOUND THEN
    PERFORM queue.fail(404, 'HT-QUEUE-TICKET-NOT-FOUND', 'No ticket ' || p_ticket || ' in hall ' || p_hall);
  END IF;
  RETURN t;
END $$;

-- Locks the hall and answers the ticket, which must be in one of p_states; else 409 HT-QUEUE-STATE saying why.
CREATE FUNCTION ticket_in(p_hall text, p_ticket uuid, p_states text[], p_rule text) RETURNS queue.ticket LANGUAGE plpgsql AS $$
DECLARE
  t queue.ticket;
BEGIN
  PERFORM queue.lock_hall(p_hall);
  t := queue.find_ticket(p_hall, p_ticket);
  IF NOT t.state = ANY (p_states) THEN
    PERFORM queue.fail(409, 'HT-QUEUE-STATE', 'Ticket ' || t.number || ' is ' || t.state || '; ' || p_rule);
  END IF;
  RETURN t;
END $$;

CREATE FUNCTION find_window(p_hall text, p_window text) RETURNS queue.service_window LANGUAGE plpgsql AS $$
DECLARE
  w queue.service_window;
BEGIN
  SELECT * INTO w FROM queue.service_window WHERE id = p_window AND hall_id = p_hall;
  IF NOT FOUND THEN
    PERFORM queue.fail(404, 'HT-QUEUE-WINDOW-NOT-FOUND', 'No window ' || p_window || ' in hall ' || p_hall);
  END IF;
  RETURN w;
END $$;

-- The position that puts a ticket ahead of every waiting ticket of its queue (within its priority).
CREATE FUNCTION front_of(p_queue text) RETURNS bigint LANGUAGE sql AS $$
  SELECT least((SELECT min(position) FROM queue.ticket WHERE queue_id = p_queue AND state = 'waiting'),
               nextval('queue.ticket_position')) - 1
$$;

CREATE FUNCTION take_ticket(p_hall text, p_queue text, p_kind text, p_priority int, p_channel text, p_id uuid,
                            p_id_sealed bytea, p_id_index text, p_phone_sealed bytea, p_phone_index text,
                            p_appointment text, p_by text, p_today date) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  t   queue.ticket;
  n   int;
  num text;
  evs jsonb := '[]';
BEGIN
  PERFORM queue.lock_hall(p_hall);
  IF p_appointment IS NOT NULL THEN
    SELECT * INTO t FROM queue.ticket WHERE hall_id = p_hall AND appointment_id = p_appointment;
    IF FOUND THEN
      RETURN jsonb_build_object('reply', queue.ticket_json(t), 'events', evs);
    END IF;
  END IF;
  UPDATE queue.business_queue
     SET last_number = CASE WHEN number_day = p_today THEN last_number + 1 ELSE 1 END, number_day = p_today
   WHERE id = p_queue AND hall_id = p_hall
  RETURNING last_number, prefix || CASE WHEN last_number < 1000 THEN lpad(last_number::text, 3, '0')
                                   ELSE last_number::text END INTO n, num;
  IF NOT FOUND THEN
    PERFORM queue.fail(404, 'HT-QUEUE-QUEUE-NOT-FOUND', 'No queue ' || p_queue || ' in hall ' || p_hall);
  END IF;
  INSERT INTO queue.ticket (id, hall_id, queue_id, number, kind, priority, position, state, channel,
                            id_number_sealed, id_number_index, phone_sealed, phone_index, appointment_id, taken_by)
  VALUES (p_id, p_hall, p_queue, num, p_kind, p_priority, nextval('queue.ticket_position'), 'waiting', p_channel, p_id_sealed, p_id_index, p_phone_sealed,
          p_phone_index, p_appointment, p_by)
  RETURNING * INTO t;
  evs := evs || queue.emit(p_hall, 'ticket.taken', jsonb_build_object('ticket', t.id, 'number', t.number,
      'queue', t.queue_id, 'kind', t.kind));
  evs := evs || queue.emit(p_hall, 'queue.stats', queue.queue_stats(p_queue));
  RETURN jsonb_build_object('reply', queue.ticket_json(t), 'events', evs);
END $$;

-- Call-next for a window. Priority first (green channel, VIP, appointment, normal), then the earliest position.
-- Fairness: a ticket of queue Q goes to this window only while Q has more waiting tickets than there are other
-- windows serving Q that have been idle longer than this one and whose claim is fresh (idle for at most
-- p_claim_seconds; a window idle longer is taken to be unattended). So when tickets are scarce, the longest-idle
-- windows get them, and a window that just finished does not overtake a window that has waited longer.
CREATE FUNCTION call_next(p_hall text, p_window text, p_claim_seconds int) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  w   queue.service_window;
  t   queue.ticket;
  evs jsonb := '[]';
BEGIN
  PERFORM queue.lock_hall(p_hall);
  w := queue.find_window(p_hall, p_window);
  IF w.state <> 'idle' THEN
    PERFORM queue.fail(409, 'HT-QUEUE-STATE', 'Window ' || w.id || ' is ' || w.state || ', not idle');
  END IF;
  SELECT c.* INTO t
    FROM queue.window_queue mine
    JOIN queue.ticket c ON c.queue_id = mine.queue_id AND c.state = 'waiting'
   WHERE mine.window_id = w.id
     AND (SELECT count(*) FROM queue.ticket x WHERE x.queue_id = c.queue_id AND x.state = 'waiting')
       > (SELECT count(*) FROM queue.window_queue other JOIN queue.service_window o ON o.id = other.window_id
           WHERE other.queue_id = c.queue_id AND o.id <> w.id AND o.state = 'idle'
             AND o.state_since < w.state_since
             AND o.state_since > now() - make_interval(secs => p_claim_seconds))
   ORDER BY c.priority DESC, c.position, c.id
   LIMIT 1;
  IF NOT FOUND THEN
    PERFORM queue.fail(404, 'HT-QUEUE-NO-TICKET', 'No waiting ticket for window ' || w.id
        || ' (tickets go first to windows idle longer)');
  END IF;
  UPDATE queue.ticket SET state = 'called', window_id = w.id, called_at = now(), call_count = call_count + 1,
                          serving_since = now()
   WHERE id = t.id RETURNING * INTO t;
  evs := evs || queue.emit(p_hall, 'ticket.called', queue.call_fields(t, w.id) || jsonb_build_object('callCount', t.call_count));
  evs := evs || queue.set_window(p_hall, w.id, 'serving', t.id);
  evs := evs || queue.emit(p_hall, 'queue.stats', queue.queue_stats(t.queue_id));
  RETURN jsonb_build_object('reply', queue.ticket_json(t), 'events', evs);
END $$;

-- Recall: a called ticket is announced again at its window; a held ticket is called back to an idle window.
CREATE FUNCTION recall(p_hall text, p_ticket uuid, p_window text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  t   queue.ticket;
  w   queue.service_window;
  evs jsonb := '[]';
BEGIN
  PERFORM queue.lock_hall(p_hall);
  t := queue.find_ticket(p_hall, p_ticket);
  IF t.state = 'called' THEN
    IF p_window IS NOT NULL AND p_window <> t.window_id THEN
      PERFORM queue.fail(409, 'HT-QUEUE-STATE', 'Ticket ' || t.number || ' was called to window ' || t.window_id);
    END IF;
    UPDATE queue.ticket SET call_count = call_count + 1 WHERE id = t.id RETURNING * INTO t;
    evs := evs || queue.emit(p_hall, 'ticket.recalled', queue.call_fields(t, t.window_id)
        || jsonb_build_object('callCount', t.call_count));
  ELSIF t.state = 'held' THEN
    IF p_window IS NULL THEN
      PERFORM queue.fail(422, 'HT-QUEUE-INPUT-INVALID', 'Name the window that takes held ticket ' || t.number || ' back');
    END IF;
    w := queue.find_window(p_hall, p_window);
    IF w.state <> 'idle' THEN
      PERFORM queue.fail(409, 'HT-QUEUE-STATE', 'Window ' || w.id || ' is ' || w.state || ', not idle');
    END IF;
    UPDATE queue.ticket SET state = 'called', window_id = w.id, call_count = call_count + 1, serving_since = now()
     WHERE id = t.id RETURNING * INTO t;
    evs := evs || queue.emit(p_hall, 'ticket.recalled', queue.call_fields(t, w.id)
        || jsonb_build_object('callCount', t.call_count));
    evs := evs || queue.set_window(p_hall, w.id, 'serving', t.id);
  ELSE
    PERFORM queue.fail(409, 'HT-QUEUE-STATE', 'Ticket ' || t.number || ' is ' || t.state || '; only a called or held ticket can be recalled');
  END IF;
  RETURN jsonb_build_object('reply', queue.ticket_json(t), 'events', evs);
END $$;

-- Frees the window a ticket was called to (finish, transfer), given the ticket as it was before: the window becomes idle.
CREATE FUNCTION release_window(p_hall text, t queue.ticket) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  IF t.state = 'called' AND t.window_id IS NOT NULL THEN
    RETURN queue.set_window(p_hall, t.window_id, 'idle', NULL);
  END IF;
  RETURN '[]';
END $$;

CREATE FUNCTION skip(p_hall text, p_ticket uuid) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  t   queue.ticket;
  evs jsonb := '[]';
BEGIN
  t := queue.ticket_in(p_hall, p_ticket, ARRAY['called'], 'only a called ticket can be skipped');
  UPDATE queue.ticket SET state = 'skipped', skipped_at = now(), serving_since = NULL WHERE id = t.id RETURNING * INTO t;
  evs := evs || queue.emit(p_hall, 'ticket.skipped', queue.call_fields(t, t.window_id));
  evs := evs || queue.set_window(p_hall, t.window_id, 'idle', NULL);
  RETURN jsonb_build_object('reply', queue.ticket_json(t), 'events', evs);
END $$;

CREATE FUNCTION recheck_in(p_hall text, p_ticket uuid, p_within_seconds int) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  t   queue.ticket;
  evs jsonb := '[]';
BEGIN
  t := queue.ticket_in(p_hall, p_ticket, ARRAY['skipped'], 'only a skipped ticket can re-check in');
  IF t.skipped_at < now() - make_interval(secs => p_within_seconds) THEN
    PERFORM queue.fail(409, 'HT-QUEUE-RECHECK-EXPIRED', 'Ticket ' || t.number || ' was skipped more than '
        || (p_within_seconds / 60) || ' minutes ago; take a new ticket');
  END IF;
  UPDATE queue.ticket SET state = 'waiting', position = queue.front_of(t.queue_id), window_id = NULL
   WHERE id = t.id RETURNING * INTO t;
  evs := evs || queue.emit(p_hall, 'ticket.rechecked', jsonb_build_object('ticket', t.id, 'number', t.number,
      'queue', t.queue_id, 'kind', t.kind));
  evs := evs || queue.emit(p_hall, 'queue.stats', queue.queue_stats(t.queue_id));
  RETURN jsonb_build_object('reply', queue.ticket_json(t), 'events', evs);
END $$;

CREATE FUNCTION transfer(p_hall text, p_ticket uuid, p_to_queue text, p_front boolean) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  t    queue.ticket;
  was  queue.ticket;
  evs  jsonb := '[]';
BEGIN
  t := queue.ticket_in(p_hall, p_ticket, ARRAY['waiting', 'called', 'held'], 'it cannot be transferred');
  PERFORM 1 FROM queue.business_queue WHERE id = p_to_queue AND hall_id = p_hall;
  IF NOT FOUND THEN
    PERFORM queue.fail(404, 'HT-QUEUE-QUEUE-NOT-FOUND', 'No queue ' || p_to_queue || ' in hall ' || p_hall);
  END IF;
  was := t;
  UPDATE queue.ticket
     SET queue_id = p_to_queue, state = 'waiting', window_id = NULL, serving_since = NULL,
         service_seconds = 0, transfer_count = transfer_count + 1,
         position = CASE WHEN p_front THEN queue.front_of(p_to_queue) ELSE nextval('queue.ticket_position') END
   WHERE id = t.id RETURNING * INTO t;
  evs := evs || queue.emit(p_hall, 'ticket.transferred', queue.call_fields(t, was.window_id)
      || jsonb_build_object('fromQueue', was.queue_id, 'to', CASE WHEN p_front THEN 'front' ELSE 'back' END));
  evs := evs || queue.release_window(p_hall, was);
  evs := evs || queue.emit(p_hall, 'queue.stats', queue.queue_stats(was.queue_id));
  IF p_to_queue <> was.queue_id THEN
    evs := evs || queue.emit(p_hall, 'queue.stats', queue.queue_stats(p_to_queue));
  END IF;
  RETURN jsonb_build_object('reply', queue.ticket_json(t), 'events', evs);
END $$;

-- Hold: the applicant steps aside (say, to fetch a missing material); the window is free for others, and the held
-- ticket is taken back with recall. Service time stops while held.
CREATE FUNCTION hold(p_hall text, p_ticket uuid) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  t   queue.ticket;
  evs jsonb := '[]';
BEGIN
  t := queue.ticket_in(p_hall, p_ticket, ARRAY['called'], 'only a called ticket can be held');
  UPDATE queue.ticket
     SET state = 'held', service_seconds = service_seconds + extract(epoch FROM now() - serving_since), serving_since = NULL
   WHERE id = t.id RETURNING * INTO t;
  evs := evs || queue.emit(p_hall, 'ticket.held', queue.call_fields(t, t.window_id));
  evs := evs || queue.set_window(p_hall, t.window_id, 'idle', NULL);
  RETURN jsonb_build_object('reply', queue.ticket_json(t), 'events', evs);
END $$;

-- Finish: the service time (called to finished, less time held) updates the queue's EWMA with weight p_weight.
CREATE FUNCTION finish(p_hall text, p_ticket uuid, p_weight double precision) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  t   queue.ticket;
  was queue.ticket;
  evs jsonb := '[]';
BEGIN
  t := queue.ticket_in(p_hall, p_ticket, ARRAY['called', 'held'], 'only a called or held ticket can be finished');
  was := t;
  UPDATE queue.ticket
     SET state = 'finished', finished_at = now(), serving_since = NULL,
         service_seconds = service_seconds + coalesce(extract(epoch FROM now() - serving_since), 0)
   WHERE id = t.id RETURNING * INTO t;
  UPDATE queue.business_queue SET service_seconds = p_weight * t.service_seconds + (1 - p_weight) * service_seconds
   WHERE id = t.queue_id;
  evs := evs || queue.emit(p_hall, 'ticket.finished', queue.call_fields(t, t.window_id)
      || jsonb_build_object('serviceSeconds', round(t.service_seconds::numeric, 3)));
  evs := evs || queue.release_window(p_hall, was);
  evs := evs || queue.emit(p_hall, 'queue.stats', queue.queue_stats(t.queue_id));
  RETURN jsonb_build_object('reply', queue.ticket_json(t), 'events', evs);
END $$;

-- A window's own state: offline, idle or paused. Serving is entered by call-next and left by skip, hold, transfer or
-- finish, so a window serving a ticket cannot change state directly.
CREATE FUNCTION window_state(p_hall text, p_window text, p_state text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  w   queue.service_window;
  evs jsonb := '[]';
BEGIN
  PERFORM queue.lock_hall(p_hall);
  w := queue.find_window(p_hall, p_window);
  IF w.state = 'serving' THEN
    PERFORM queue.fail(409, 'HT-QUEUE-STATE', 'Window ' || w.id || ' is serving a ticket; finish, hold, skip or transfer it first');
  END IF;
  IF w.state <> p_state THEN
    evs := queue.set_window(p_hall, w.id, p_state, NULL);
    SELECT * INTO w FROM queue.service_window WHERE id = w.id;
  END IF;
  RETURN jsonb_build_object('reply', queue.window_json(w), 'events', evs);
END $$;

-- A consistent view of a hall: one statement, so one snapshot.
CREATE FUNCTION snapshot(p_hall text) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object('hall', h.id, 'name', h.name, 'seq', h.seq,
    'queues', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', q.id, 'prefix', q.prefix, 'name', q.name,
                  'waiting', (s.st ->> 'waiting')::bigint, 'estimatedWaitSeconds', (s.st ->> 'estimatedWaitSeconds')::bigint)
                  ORDER BY q.prefix), '[]')
               FROM queue.business_queue q, LATERAL (SELECT queue.queue_stats(q.id) AS st) s WHERE q.hall_id = h.id),
    'windows', (SELECT coalesce(jsonb_agg(queue.window_json(w) ORDER BY w.number), '[]')
                FROM queue.service_window w WHERE w.hall_id = h.id),
    'recentCalls', (SELECT coalesce(jsonb_agg(e.body ORDER BY e.seq DESC), '[]')
                    FROM (SELECT body, seq FROM queue.hall_event WHERE hall_id = h.id AND type = 'ticket.called'
                          ORDER BY seq DESC LIMIT 10) e))
  FROM queue.hall h WHERE h.id = p_hall
$$;
