-- A scratch copy of what a refresh grant touches: sso.client, sso.refresh_token (before V2), sso.refresh_family
-- (V2), and an account table of 2,000 rows padded to about the width of identity.account's. 64 families, one token
-- each.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS refresh_bench CASCADE;
CREATE SCHEMA refresh_bench;
SET search_path = refresh_bench;
CREATE TABLE client (id TEXT PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO client VALUES ('c1', 'bench');
CREATE TABLE account (id TEXT PRIMARY KEY, status TEXT NOT NULL, name TEXT NOT NULL, pad TEXT NOT NULL);
INSERT INTO account SELECT 'acct-' || g, 'ACTIVE', 'Name ' || g, repeat('x', 300) FROM generate_series(1, 2000) g;
CREATE TABLE refresh_token (
  token_hash TEXT PRIMARY KEY, family_id TEXT NOT NULL, client_id TEXT NOT NULL REFERENCES client (id) ON DELETE CASCADE,
  account_id TEXT NOT NULL, scope TEXT NOT NULL, sid TEXT NOT NULL, auth_time TIMESTAMPTZ NOT NULL,
  issued_at TIMESTAMPTZ NOT NULL DEFAULT now(), expires_at TIMESTAMPTZ NOT NULL, used_at TIMESTAMPTZ, revoked_at TIMESTAMPTZ);
CREATE INDEX ON refresh_token (family_id);
CREATE INDEX ON refresh_token (sid);
CREATE INDEX ON refresh_token (expires_at);
CREATE TABLE refresh_family (
  family_id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES client (id) ON DELETE CASCADE,
  account_id TEXT NOT NULL, scope TEXT NOT NULL, sid TEXT NOT NULL, auth_time TIMESTAMPTZ NOT NULL,
  generation INTEGER NOT NULL, secret_hash TEXT NOT NULL, issued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL, revoked_at TIMESTAMPTZ) WITH (fillfactor = 50);
CREATE INDEX ON refresh_family (sid);
-- Client n of pgbench (0 to 7) owns family n + 1; its token of generation g hashes to h(n + 1, g).
CREATE FUNCTION h(family INT, generation INT) RETURNS TEXT LANGUAGE SQL IMMUTABLE
  AS $$ SELECT md5(family || '-' || generation) || md5('x' || family || '-' || generation) $$;
INSERT INTO refresh_token (token_hash, family_id, client_id, account_id, scope, sid, auth_time, expires_at)
  SELECT h(g, 0), 'fam-' || g, 'c1', 'acct-' || g, 'openid', 'sid-' || g, now(), now() + interval '30 days'
  FROM generate_series(1, 64) g;
INSERT INTO refresh_family (family_id, client_id, account_id, scope, sid, auth_time, generation, secret_hash, expires_at)
  SELECT 'fam-' || g, 'c1', 'acct-' || g, 'openid', 'sid-' || g, now(), 0, h(g, 0), now() + interval '30 days'
  FROM generate_series(1, 64) g;
