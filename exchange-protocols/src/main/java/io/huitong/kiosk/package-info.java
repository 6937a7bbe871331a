/**
 * The kiosk protocol (自助终端协议): the JSON text frames that hall devices (ticket machines, window terminals,
 * hall and window screens, evaluators, self-service kiosks, operator consoles) and the kiosk bridge exchange over
 * one WebSocket. {@link io.huitong.kiosk.KioskMessage} holds one record per message type and
 * {@link io.huitong.kiosk.KioskCodec} reads and writes them, refusing anything malformed with a
 * {@link io.huitong.kiosk.KioskProtocolException} that carries a stable {@code HT-KIOSK-*} code. The wire, with
 * examples, is described in docs/kiosk-bridge.md.
 */
package io.huitong.kiosk;
