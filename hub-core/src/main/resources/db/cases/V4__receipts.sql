-- Sealed written notices (行政许可法 art. 32): the acceptance receipt (受理回执), the non-acceptance notice (不予受理
-- 通知书) and the one-time correction notice (一次性补正告知书). The document is written in the transaction of the
-- move it evidences; it is sealed right after the commit (sealing reads the signing tables on other connections, which
-- inside the move's transaction could exhaust the pool), and a notice left unsealed by a crash is sealed when read or
-- at the next supervision sweep.

-- The vault key of the hub's case receipt seal; made on first start, one row.
CREATE TABLE receipt_signer (
  id         smallint    PRIMARY KEY CHECK (id = 1),
  key_id     text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE case_receipt (
  receipt_number TEXT PRIMARY KEY,
  case_id        TEXT NOT NULL REFERENCES case_record (id),
  event_seq      INT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('ACCEPTANCE', 'NON_ACCEPTANCE', 'CORRECTION')),
  issued_at      TIMESTAMPTZ NOT NULL,
  -- The exact bytes sealed: UTF-8 JSON of the notice's content.
  document       BYTEA NOT NULL,
  seal           BYTEA,
  UNIQUE (case_id, event_seq),
  FOREIGN KEY (case_id, event_seq) REFERENCES case_event (case_id, seq)
);
CREATE INDEX case_receipt_unsealed ON case_receipt (case_id) WHERE seal IS NULL;
