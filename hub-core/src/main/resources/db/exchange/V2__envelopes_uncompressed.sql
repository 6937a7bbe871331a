-- Envelopes are stored as published and are mostly base64 of ciphertext and digests: PostgreSQL's compression
-- found nothing to save in them and cost the relay about 17 ms of a 1000-record envelope's insert.
ALTER TABLE message ALTER COLUMN envelope SET STORAGE EXTERNAL;
ALTER TABLE rejection ALTER COLUMN envelope SET STORAGE EXTERNAL;
