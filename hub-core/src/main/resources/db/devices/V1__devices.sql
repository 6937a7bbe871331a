-- Hall devices (设备) the kiosk bridge admits, their last known state, and the alarms their telemetry raised.
CREATE TABLE device (
  device_id    text PRIMARY KEY,
  kind         text NOT NULL,
  hall_id      text NOT NULL,
  window_id    text,
  name         text,
  consumer     text,
  -- SM3 of the registration token, hex; null for a device that authenticates with its certificate.
  token_sm3    text,
  certificate  text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  online       boolean NOT NULL DEFAULT false,
  last_seen    timestamptz,
  acked_seq    bigint,
  paper        text,
  faults       jsonb NOT NULL DEFAULT '[]',
  CHECK ((token_sm3 IS NULL) <> (certificate IS NULL))
);
CREATE INDEX device_hall ON device (hall_id);

CREATE TABLE device_alarm (
  alarm_id    bigserial PRIMARY KEY,
  device_id   text NOT NULL,
  hall_id     text NOT NULL,
  -- paper-low, paper-out, offline, or fault:<code>
  condition   text NOT NULL,
  state       text NOT NULL CHECK (state IN ('RAISED', 'CLEARED')),
  raised_at   timestamptz NOT NULL DEFAULT now(),
  cleared_at  timestamptz
);
-- At most one raised alarm per device and condition.
CREATE UNIQUE INDEX device_alarm_raised ON device_alarm (device_id, condition) WHERE state = 'RAISED';
CREATE INDEX device_alarm_recent ON device_alarm (alarm_id DESC);
