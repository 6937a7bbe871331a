-- The audit log: who did what to the hub, from where, and how it ended. Rows are only ever inserted.
CREATE TABLE audit_log (
    id             bigserial   PRIMARY KEY,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    node           text        NOT NULL,
    actor          text        NOT NULL,
    action         text        NOT NULL,
    target         text,
    outcome        text        NOT NULL,
    request_id     text,
    remote_address text,
    detail         jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE INDEX audit_log_occurred_at ON audit_log (occurred_at);
CREATE INDEX audit_log_action ON audit_log (action);
