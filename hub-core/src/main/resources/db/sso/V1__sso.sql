-- The OpenID Connect provider (docs/sso.md). Sessions, authorization codes and revocations live in the cluster
-- (Hazelcast); what must outlive every member is here.

-- Relying systems (portals, department systems). The secret is kept only as an HMAC-SM3 under a key derived from
-- the master key: it is 256 random bits, so no slow hash is needed to make guessing it hopeless.
CREATE TABLE client (
  id                        TEXT PRIMARY KEY,
  name                      TEXT NOT NULL,
  secret_hash               TEXT NOT NULL,
  redirect_uris             TEXT[] NOT NULL,
  post_logout_redirect_uris TEXT[] NOT NULL,
  scopes                    TEXT[] NOT NULL,
  signing_alg               TEXT NOT NULL CHECK (signing_alg IN ('ES256', 'SM2SM3')),
  created_at                TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Token signing keys: the private key sealed under the master key, bound to its kid. One active key per algorithm;
-- a retired key stays published in the JWKS for sso.key-retention so tokens it signed still verify.
CREATE TABLE signing_key (
  kid            TEXT PRIMARY KEY,
  alg            TEXT NOT NULL CHECK (alg IN ('ES256', 'SM2SM3')),
  public_jwk     TEXT NOT NULL,
  private_sealed BYTEA NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  retired_at     TIMESTAMPTZ
);
CREATE UNIQUE INDEX signing_key_one_active ON signing_key (alg) WHERE retired_at IS NULL;

-- Refresh tokens, by the SHA-256 of the token (the token itself is never stored). Each use rotates: the used token
-- is marked and a new one of the same family issued; a used token presented again revokes its whole family.
CREATE TABLE refresh_token (
  token_hash  TEXT PRIMARY KEY,
  family_id   TEXT NOT NULL,
  client_id   TEXT NOT NULL REFERENCES client (id) ON DELETE CASCADE,
  account_id  TEXT NOT NULL,
  scope       TEXT NOT NULL,
  sid         TEXT NOT NULL,
  auth_time   TIMESTAMPTZ NOT NULL,
  issued_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at  TIMESTAMPTZ NOT NULL,
  used_at     TIMESTAMPTZ,
  revoked_at  TIMESTAMPTZ
);
CREATE INDEX refresh_token_family ON refresh_token (family_id);
CREATE INDEX refresh_token_sid ON refresh_token (sid);
CREATE INDEX refresh_token_expires ON refresh_token (expires_at);
