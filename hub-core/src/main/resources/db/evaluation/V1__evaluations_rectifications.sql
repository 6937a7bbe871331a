-- Citizen evaluations (好差评) of handled cases, the invitations that link a case to its window and staff, and the
-- rectification tasks bad ratings open.

-- What the window system says when a case is handled: where and by whom, and the phone an SMS rating comes from.
CREATE TABLE invitation (
  case_number  text PRIMARY KEY,
  hall         text,
  window_id    text NOT NULL,
  staff_id     text NOT NULL,
  department   text NOT NULL,
  phone_sealed bytea,
  phone_index  text,
  created_at   timestamptz NOT NULL
);
CREATE INDEX invitation_phone ON invitation (phone_index, created_at);

CREATE TABLE evaluation (
  id           text PRIMARY KEY,
  -- One evaluation per case (一事一评).
  case_number  text NOT NULL UNIQUE,
  rating       smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment      text,
  channel      text NOT NULL CHECK (channel IN ('EVALUATOR', 'SMS', 'PORTAL')),
  hall         text,
  window_id    text NOT NULL,
  staff_id     text NOT NULL,
  department   text NOT NULL,
  device_id    text,
  evaluated_at timestamptz NOT NULL
);
CREATE INDEX evaluation_at ON evaluation (evaluated_at);

CREATE TABLE rectification (
  id            text PRIMARY KEY,
  evaluation_id text NOT NULL UNIQUE REFERENCES evaluation (id),
  state         text NOT NULL CHECK (state IN ('OPEN', 'HANDLED', 'CLOSED')),
  opened_at     timestamptz NOT NULL,
  due_at        timestamptz NOT NULL,
  handled_at    timestamptz,
  handled_by    text,
  handling      text,
  closed_at     timestamptz,
  closed_by     text,
  closing       text,
  -- The last time a reviewer sent the task back to OPEN, and why.
  reopened_at   timestamptz,
  reopened_by   text,
  reopening     text
);
CREATE INDEX rectification_state_due ON rectification (state, due_at);
