-- Refresh tokens, one row per family (the tokens descended from one sign-in at one client; docs/sso.md): the live
-- generation and the SHA-256 of its secret. A rotation updates the row in place (room is left in each page so the
-- update stays on it) where it used to mark one row used and insert its successor, which was twice PostgreSQL's
-- work per grant and a row per rotation. Tokens of the one-row-per-token form are not carried over (only their
-- hashes were kept): their clients sign in again.
DROP TABLE refresh_token;

CREATE TABLE refresh_family (
  family_id    TEXT PRIMARY KEY,
  client_id    TEXT NOT NULL REFERENCES client (id) ON DELETE CASCADE,
  account_id   TEXT NOT NULL,
  scope        TEXT NOT NULL,
  sid          TEXT NOT NULL,
  auth_time    TIMESTAMPTZ NOT NULL,
  generation   INTEGER NOT NULL,
  secret_hash  TEXT NOT NULL,
  issued_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at   TIMESTAMPTZ NOT NULL,
  revoked_at   TIMESTAMPTZ
) WITH (fillfactor = 50);
-- Logout revokes a session's families. No index on what a rotation changes (generation, secret, times), so the
-- update is heap-only; expired families are swept by a sequential scan once an hour.
CREATE INDEX refresh_family_sid ON refresh_family (sid);
