-- Who owns each upload: the app key of the consumer whose upload grant created it (files.access: grant); null for
-- an upload created while access was open. Only its owner may read, write, delete or concatenate it.
ALTER TABLE upload ADD COLUMN owner text;
CREATE INDEX upload_owner ON upload (owner) WHERE owner IS NOT NULL;

-- A consumer's own upload quota in bytes, set through the admin API; a consumer without a row has files.quota.
CREATE TABLE consumer_quota (
  app_key    text PRIMARY KEY,
  quota      bigint NOT NULL CHECK (quota >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
