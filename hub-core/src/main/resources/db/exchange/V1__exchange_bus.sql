-- Front-exchange nodes (前置交换节点): the nodes this hub hosts (local) and the remote ones it exchanges with,
-- each known by its signing and encryption certificates.
CREATE TABLE node (
    node_id                text        PRIMARY KEY,
    local                  boolean     NOT NULL,
    sign_key_id            text,
    encrypt_key_id         text,
    sign_certificate       text        NOT NULL,
    encrypt_certificate    text        NOT NULL,
    registered_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT local OR (sign_key_id IS NOT NULL AND encrypt_key_id IS NOT NULL))
);

-- Routes added through the admin API; routes from the definitions file live in memory only.
CREATE TABLE route (
    route_id   text        PRIMARY KEY,
    definition jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The transactional outbox: a business write and its row here commit together. The relay deletes rows as it packs
-- them into messages, so this table holds only what has not been packed yet.
CREATE TABLE outbox (
    id             bigserial   PRIMARY KEY,
    sender         text        NOT NULL,
    type           text        NOT NULL,
    schema_name    text        NOT NULL,
    schema_version text        NOT NULL,
    issue          text        NOT NULL,
    data_version   bigint      NOT NULL DEFAULT 1,
    operation      char(1)     NOT NULL CHECK (operation IN ('I', 'U', 'D')),
    payload        bytea       NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_by_sender ON outbox (sender, id);

-- The next per-issue sequence number on each sender-to-receiver link, assigned when records are packed.
CREATE TABLE link_sequence (
    sender        text   NOT NULL,
    receiver      text   NOT NULL,
    issue         text   NOT NULL,
    last_sequence bigint NOT NULL,
    PRIMARY KEY (sender, receiver, issue)
);

-- One row per envelope a local node sends: data messages and the receipts it returns. The envelope is kept
-- exactly as published (the signed message log) so a retry or a replay sends the same bytes.
CREATE TABLE message (
    message_id      uuid        PRIMARY KEY,
    publish_order   bigserial   NOT NULL,
    sender          text        NOT NULL,
    receiver        text        NOT NULL,
    route_id        text,
    type            text        NOT NULL,
    record_count    int         NOT NULL,
    envelope        bytea       NOT NULL,
    traceparent     text,
    state           text        NOT NULL CHECK (state IN
                        ('NEW', 'SENT', 'DELIVERED', 'PROCESSED', 'REJECTED', 'RETRY_WAIT', 'DEAD')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    reject_code     text,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    delivered_at    timestamptz,
    finished_at     timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_to_publish ON message (sender, publish_order) WHERE state = 'NEW';
CREATE INDEX message_waiting ON message (sender, next_attempt_at) WHERE state IN ('SENT', 'RETRY_WAIT');
CREATE INDEX message_by_state ON message (state, sender, route_id);

-- Receipts a local sender got for its messages: transport, delivery and business levels.
CREATE TABLE receipt (
    message_id  uuid        NOT NULL,
    level       text        NOT NULL CHECK (level IN ('TRANSPORT', 'DELIVERY', 'BUSINESS')),
    outcome     text        NOT NULL,
    code        text,
    detail      text,
    receipt_id  uuid        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX receipt_by_message ON receipt (message_id);

-- Relay leadership: one member packs and publishes for a sender at a time, so per-issue order holds in a cluster.
CREATE TABLE relay_lease (
    sender      text        PRIMARY KEY,
    owner       text        NOT NULL,
    valid_until timestamptz NOT NULL
);

-- Receiving side. One row per envelope accepted; its message id is the deduplication key.
CREATE TABLE inbox (
    message_id     uuid        PRIMARY KEY,
    receiver       text        NOT NULL,
    sender         text        NOT NULL,
    type           text        NOT NULL,
    record_count   int         NOT NULL,
    pending        int         NOT NULL,
    rejected       int         NOT NULL DEFAULT 0,
    outcome        text,
    code           text,
    traceparent    text,
    duplicates     int         NOT NULL DEFAULT 0,
    received_at    timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz
);

-- The last applied sequence of each issue, per sender, at each receiving node.
CREATE TABLE issue_state (
    receiver      text        NOT NULL,
    sender        text        NOT NULL,
    issue         text        NOT NULL,
    last_sequence bigint      NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (receiver, sender, issue)
);

-- Records that arrived ahead of their predecessor in the issue: held until the gap fills.
CREATE TABLE held_record (
    receiver     text   NOT NULL,
    sender       text   NOT NULL,
    issue        text   NOT NULL,
    sequence     bigint NOT NULL,
    message_id   uuid   NOT NULL,
    type         text   NOT NULL,
    data_version bigint NOT NULL,
    operation    char(1) NOT NULL,
    payload      bytea  NOT NULL,
    held_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (receiver, sender, issue, sequence)
);

-- Everything a receiving node refused: whole envelopes (bad signature, expired) and single records.
CREATE TABLE rejection (
    id          bigserial   PRIMARY KEY,
    receiver    text        NOT NULL,
    sender      text,
    message_id  uuid,
    issue       text,
    sequence    bigint,
    code        text        NOT NULL,
    detail      text        NOT NULL,
    envelope    bytea,
    rejected_at timestamptz NOT NULL DEFAULT now()
);

-- Table exchange source: each captured change becomes an outbox row in the same transaction.
-- Arguments: sender node, message type, schema, schema version, issue column.
CREATE FUNCTION capture_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_json jsonb;
BEGIN
    row_json := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
    INSERT INTO exchange.outbox (sender, type, schema_name, schema_version, issue, operation, payload)
    VALUES (TG_ARGV[0], TG_ARGV[1], TG_ARGV[2], TG_ARGV[3], row_json ->> TG_ARGV[4],
            left(TG_OP, 1), convert_to(row_json::text, 'UTF8'));
    RETURN NULL;
END;
$$;
