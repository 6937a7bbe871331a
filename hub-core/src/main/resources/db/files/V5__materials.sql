-- Electronic materials (电子材料/电子证照) over complete uploads, and bulk export jobs (docs/materials.md).

-- The vault key that seals materials; made on first start, one row.
CREATE TABLE material_signer (
  id         smallint    PRIMARY KEY CHECK (id = 1),
  key_id     text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE material (
  id                 text        PRIMARY KEY,
  -- Keyset paging follows registration order.
  seq                bigserial   NOT NULL UNIQUE,
  -- No foreign key to upload: terminating an upload is the tus server's business; verify then reports the file gone.
  upload_id          text        NOT NULL UNIQUE,
  file_size          bigint      NOT NULL,
  file_sm3           bytea       NOT NULL,
  name               text        NOT NULL,
  holder_name        text        NOT NULL,
  -- SM4-GCM under the master key, bound to the material id; never stored in the clear.
  holder_id_sealed   bytea       NOT NULL,
  -- HMAC-SM3 blind index (signing's BlindIndex) for lookup by ID number.
  holder_id_index    text        NOT NULL,
  holder_id_masked   text        NOT NULL,
  department         text        NOT NULL,
  issued_at          timestamptz NOT NULL,
  business_number    text,
  unified_code       text        UNIQUE,
  case_number        text        NOT NULL,
  signer_key_id      text        NOT NULL,
  certificate_serial text        NOT NULL,
  seal_id            text        NOT NULL,
  signed_at          timestamptz NOT NULL,
  signed_digest      bytea       NOT NULL,
  seal               bytea       NOT NULL,
  registered_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX material_by_case ON material (case_number, seq);
CREATE INDEX material_by_holder ON material (holder_id_index, seq);
CREATE INDEX material_by_department ON material (department, seq);

CREATE TABLE export_job (
  id             text        PRIMARY KEY,
  department     text        NOT NULL,
  issued_from    timestamptz,
  issued_to      timestamptz,
  state          text        NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
  attempts       integer     NOT NULL DEFAULT 0,
  -- The member running it and its last sign of life: a job whose member went quiet is taken over.
  claimed_by     text,
  heartbeat_at   timestamptz,
  material_count integer,
  upload_id      text,
  archive_size   bigint,
  archive_sm3    bytea,
  error          text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  started_at     timestamptz,
  finished_at    timestamptz
);

CREATE INDEX export_job_open ON export_job (created_at) WHERE state IN ('QUEUED', 'RUNNING');
