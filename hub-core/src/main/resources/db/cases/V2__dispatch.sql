-- Dispatch to department systems over the exchange bus, and the status messages they send back.
ALTER TABLE case_record
  ADD COLUMN dispatch_state  TEXT CHECK (dispatch_state IN ('DISPATCHED', 'ACKNOWLEDGED', 'LAGGING', 'REFUSED')),
  ADD COLUMN dispatched_at   TIMESTAMPTZ,
  ADD COLUMN dispatch_reason TEXT;
CREATE INDEX case_record_dispatched ON case_record (dispatched_at) WHERE dispatch_state = 'DISPATCHED';

-- The exchange bus's table sink for CASE_STATUS records writes here (docs/cases.md); the hub applies each row once,
-- in arrival order, and keeps the outcome.
CREATE TABLE department_status (
  id          TEXT PRIMARY KEY,
  case_number TEXT NOT NULL,
  action      TEXT NOT NULL,
  at          TIMESTAMPTZ,
  actor       TEXT,
  detail      JSONB,
  arrival     BIGSERIAL,
  received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  applied_at  TIMESTAMPTZ,
  outcome     TEXT
);
CREATE INDEX department_status_pending ON department_status (arrival) WHERE applied_at IS NULL;
