-- Real-name accounts. ID numbers, phones and credit codes are never stored in clear: each is sealed with SM4-GCM
-- bound to its row and column, beside an HMAC-SM3 blind index for lookup.
CREATE TABLE account (
  id                 TEXT PRIMARY KEY,
  kind               TEXT NOT NULL CHECK (kind IN ('NATURAL_PERSON', 'LEGAL_PERSON')),
  name               TEXT NOT NULL,
  id_number_sealed   BYTEA NOT NULL,
  id_number_index    TEXT NOT NULL UNIQUE,
  masked_id_number   TEXT NOT NULL,
  phone_sealed       BYTEA,
  phone_index        TEXT UNIQUE,
  masked_phone       TEXT,
  password_hash      TEXT,
  representative_id  TEXT REFERENCES account (id),
  status             TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'DISABLED')),
  failed_attempts    INT NOT NULL DEFAULT 0,
  lock_count         INT NOT NULL DEFAULT 0,
  locked_until       TIMESTAMPTZ,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((kind = 'NATURAL_PERSON') = (representative_id IS NULL))
);

-- Staff a legal person delegates (授权委托): for some items, for a time.
CREATE TABLE delegation (
  legal_person_id TEXT NOT NULL REFERENCES account (id),
  staff_id        TEXT NOT NULL REFERENCES account (id),
  items           TEXT[] NOT NULL,
  valid_from      TIMESTAMPTZ NOT NULL,
  valid_until     TIMESTAMPTZ NOT NULL CHECK (valid_until > valid_from),
  PRIMARY KEY (legal_person_id, staff_id)
);

-- One live SMS one-time code per purpose and phone; only an HMAC of the code is kept.
CREATE TABLE sms_code (
  purpose     TEXT NOT NULL,
  phone_index TEXT NOT NULL,
  code_mac    TEXT NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL,
  attempts    INT NOT NULL DEFAULT 0,
  issued_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (purpose, phone_index)
);

CREATE TABLE unlock_request (
  id           TEXT PRIMARY KEY,
  account_id   TEXT NOT NULL REFERENCES account (id),
  requested_by TEXT NOT NULL,
  reason       TEXT NOT NULL,
  requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  approved_by  TEXT,
  approved_at  TIMESTAMPTZ
);
