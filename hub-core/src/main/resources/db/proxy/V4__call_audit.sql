-- The call audit (调用审计): one row per call through the data proxy, chained with HMAC-SM3 (docs/proxy-audit.md).
-- mac = HMAC-SM3(key, previous row's mac || the row's canonical bytes); the first row follows 32 zero bytes.
-- Requests and responses appear only as SM3 digests: no column holds personal data in clear.
CREATE TABLE call_audit (
    seq            bigint      PRIMARY KEY,
    at             timestamptz NOT NULL,
    member         text        NOT NULL,
    request_id     text        NOT NULL,
    consumer       text        NOT NULL,
    service        text        NOT NULL,
    status         integer     NOT NULL,
    code           text        NOT NULL,
    latency_micros bigint      NOT NULL,
    request_sm3    text        NOT NULL,
    response_sm3   text        NOT NULL,
    source         text        NOT NULL,
    cache          text        NOT NULL,
    remote_address text        NOT NULL,
    mac            bytea       NOT NULL
);
CREATE INDEX call_audit_at ON call_audit (at);

-- The end of the chain: every member appends a batch while holding this one row locked (SELECT ... FOR UPDATE),
-- so the cluster writes one chain; the verifier also learns from it whether rows were cut off the end.
CREATE TABLE call_audit_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq      bigint  NOT NULL,
    mac      bytea   NOT NULL
);
INSERT INTO call_audit_head (seq, mac) VALUES (0, '\x0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only: rows are inserted, never changed or removed. Someone who disables these triggers still cannot
-- forge a mac without the key, and the chain check finds the change.
CREATE FUNCTION call_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'proxy.call_audit is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER call_audit_append_only BEFORE UPDATE OR DELETE ON call_audit
    FOR EACH ROW EXECUTE FUNCTION call_audit_refuse();
CREATE TRIGGER call_audit_no_truncate BEFORE TRUNCATE ON call_audit
    FOR EACH STATEMENT EXECUTE FUNCTION call_audit_refuse();

-- The head only moves forward and is never removed, so it cannot be rewound over deleted rows.
CREATE FUNCTION call_audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.seq <= OLD.seq THEN
        RAISE EXCEPTION 'proxy.call_audit_head only moves forward: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER call_audit_head_forward BEFORE UPDATE OR DELETE ON call_audit_head
    FOR EACH ROW EXECUTE FUNCTION call_audit_head_forward();
CREATE TRIGGER call_audit_head_no_truncate BEFORE TRUNCATE ON call_audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION call_audit_refuse();
