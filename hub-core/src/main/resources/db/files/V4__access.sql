-- Who owns each upload: the app key of the consumer whose upload grant created it (files.access: grant); null for
-- an upload created while access was open. Only its owner may read, write, delete or concatenate it.
ALTER TABLE upload ADD COLUMN owner text;
CREATE INDEX upload_owner ON upload (owner) WHERE owner IS NOT NULL;
