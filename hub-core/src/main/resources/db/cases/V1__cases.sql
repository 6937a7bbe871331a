-- Cases (办件). Applicants' ID numbers and phones are sealed (SM4-GCM, bound to row and column) beside HMAC-SM3
-- blind indexes for progress lookups; deadlines are stored once computed so supervision is a comparison in SQL.
CREATE SEQUENCE case_number_seq;

CREATE TABLE case_record (
  id                TEXT PRIMARY KEY,
  case_number       TEXT NOT NULL UNIQUE,
  kind              TEXT NOT NULL CHECK (kind IN ('IMMEDIATE', 'PROMISED')),
  item_code         TEXT NOT NULL,
  item_name         TEXT NOT NULL,
  department        TEXT NOT NULL,
  region_code       TEXT NOT NULL,
  applicant_name    TEXT,
  id_number_sealed  BYTEA,
  id_number_index   TEXT,
  masked_id_number  TEXT,
  phone_sealed      BYTEA,
  phone_index       TEXT,
  masked_phone      TEXT,
  channel           TEXT NOT NULL,
  ticket_id         TEXT,
  state             TEXT NOT NULL,
  state_reason      TEXT,
  result_code       TEXT,
  fee_fen           BIGINT,
  promise_days      INT NOT NULL,
  legal_days        INT NOT NULL,
  extension_days    INT NOT NULL DEFAULT 0,
  paused_days       INT NOT NULL DEFAULT 0,
  paused_at         TIMESTAMPTZ,
  submitted_at      TIMESTAMPTZ NOT NULL,
  accepted_at       TIMESTAMPTZ,
  closed_at         TIMESTAMPTZ,
  finished_at       TIMESTAMPTZ,
  warning_at        TIMESTAMPTZ,
  promise_due_at    TIMESTAMPTZ,
  red_at            TIMESTAMPTZ,
  legal_due_at      TIMESTAMPTZ,
  supervision       TEXT NOT NULL DEFAULT 'NORMAL',
  on_time           BOOLEAN,
  last_event_seq    INT NOT NULL DEFAULT 1,
  last_event_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_record_id_number ON case_record (id_number_index) WHERE id_number_index IS NOT NULL;
CREATE INDEX case_record_phone ON case_record (phone_index) WHERE phone_index IS NOT NULL;
CREATE INDEX case_record_accepted ON case_record (accepted_at);
CREATE INDEX case_record_closed ON case_record (closed_at);
-- The supervision sweep reads only cases whose clock runs.
CREATE INDEX case_record_running ON case_record (red_at) WHERE state IN ('ACCEPTED', 'IN_PROCESS');

-- Every change of a case, in order: its history, and what the monthly statistics count.
CREATE TABLE case_event (
  case_id    TEXT NOT NULL REFERENCES case_record (id),
  seq        INT NOT NULL,
  action     TEXT,
  from_state TEXT,
  to_state   TEXT NOT NULL,
  at         TIMESTAMPTZ NOT NULL,
  actor      TEXT,
  detail     JSONB NOT NULL DEFAULT '{}',
  PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_event_action_at ON case_event (action, at);

-- Working-day overrides per region ('' for every region): holidays on weekdays, make-up workdays on weekends.
CREATE TABLE calendar_day (
  region_code TEXT NOT NULL,
  day         DATE NOT NULL,
  working     BOOLEAN NOT NULL,
  note        TEXT,
  PRIMARY KEY (region_code, day)
);

-- Reminders sent at the warning, promised and legal deadlines: one per case, kind and deadline.
CREATE TABLE reminder (
  case_id TEXT NOT NULL REFERENCES case_record (id),
  kind    TEXT NOT NULL CHECK (kind IN ('WARNING', 'PROMISED', 'LEGAL')),
  due_at  TIMESTAMPTZ NOT NULL,
  sent_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (case_id, kind, due_at)
);

-- Consultations (咨询) at the windows, counted in the monthly statistics.
CREATE TABLE consultation (
  id          BIGSERIAL PRIMARY KEY,
  department  TEXT NOT NULL,
  region_code TEXT NOT NULL,
  at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX consultation_at ON consultation (at);
