-- An upload is written by one request at a time across the cluster: the request holds a lease on its row
-- (held_by names the member and the request; held_until is renewed while the request runs, so a member that dies
-- lets go of its uploads by itself). Offsets only move for the lease holder.
ALTER TABLE upload ADD COLUMN held_by text;
ALTER TABLE upload ADD COLUMN held_until timestamptz;

-- The SM3 state over the bytes up to upload_offset, saved with each offset so the next chunk continues the digest
-- on whichever member receives it, and completing an upload needs no second read of its file.
ALTER TABLE upload ADD COLUMN sm3_state bytea;
