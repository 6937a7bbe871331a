-- V2: the family's row moved to the next generation from the live one, then the account read, as the hub does.
\set next :gen + 1
UPDATE refresh_bench.refresh_family SET generation = generation + 1,
    secret_hash = refresh_bench.h(:client_id + 1, :next), issued_at = now(), expires_at = now() + interval '30 days'
  WHERE family_id = 'fam-' || :client_id + 1 AND generation = :gen AND secret_hash = refresh_bench.h(:client_id + 1, :gen)
    AND client_id = 'c1' AND revoked_at IS NULL AND expires_at > now()
  RETURNING account_id, scope, sid, auth_time;
SELECT id, status, name, pad FROM refresh_bench.account WHERE id = 'acct-' || :client_id + 1;
\set gen :next
