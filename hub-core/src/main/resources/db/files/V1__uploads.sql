-- One row per tus upload. The data itself is in the upload store; upload_offset only moves forward once the
-- bytes before it are durably written there.
CREATE TABLE upload (
  id            text PRIMARY KEY,
  upload_length bigint CHECK (upload_length >= 0),  -- null while the length is deferred
  upload_offset bigint NOT NULL DEFAULT 0 CHECK (upload_offset >= 0),
  metadata      text,                               -- Upload-Metadata as the client sent it, validated
  expires_at    timestamptz,                        -- null once the upload is complete
  sm3           bytea,                              -- digest of the complete file
  created_at    timestamptz NOT NULL DEFAULT now(),
  completed_at  timestamptz,
  CHECK (upload_length IS NULL OR upload_offset <= upload_length)
);

CREATE INDEX upload_expires ON upload (expires_at) WHERE completed_at IS NULL;
