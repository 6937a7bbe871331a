-- Alarm rules added through the admin API; rules from the definitions file live in memory only.
CREATE TABLE alarm_rule (
    rule_id    text        PRIMARY KEY,
    definition jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every alarm a member raised, and when and at what value it cleared. Statistics are per member, so an alarm
-- belongs to the member whose calls raised it.
CREATE TABLE alarm (
    alarm_id      uuid             PRIMARY KEY,
    rule_id       text             NOT NULL,
    metric        text             NOT NULL,
    alarm_key     text             NOT NULL,
    member        text             NOT NULL,
    state         text             NOT NULL CHECK (state IN ('RAISED', 'CLEARED')),
    threshold     double precision NOT NULL,
    raised_at     timestamptz      NOT NULL,
    raised_value  double precision NOT NULL,
    cleared_at    timestamptz,
    cleared_value double precision
);
CREATE INDEX alarm_by_state ON alarm (state, raised_at DESC);
CREATE INDEX alarm_by_time ON alarm (raised_at DESC);
