-- Before V2: the token's row marked used and its successor inserted in one statement, then the account read.
\set next :gen + 1
WITH used AS (UPDATE refresh_bench.refresh_token SET used_at = now()
    WHERE token_hash = refresh_bench.h(:client_id + 1, :gen) AND client_id = 'c1' AND used_at IS NULL
      AND revoked_at IS NULL AND expires_at > now()
    RETURNING family_id, client_id, account_id, scope, sid, auth_time),
  successor AS (INSERT INTO refresh_bench.refresh_token (token_hash, family_id, client_id, account_id, scope, sid,
      auth_time, expires_at)
    SELECT refresh_bench.h(:client_id + 1, :next), family_id, client_id, account_id, scope, sid, auth_time,
      now() + interval '30 days' FROM used)
SELECT family_id, account_id, scope, sid, auth_time FROM used;
SELECT id, status, name, pad FROM refresh_bench.account WHERE id = 'acct-' || :client_id + 1;
\set gen :next
