-- Keys: one row per key, one row per version. Private keys are PKCS#8 sealed with SM4-GCM under the master key,
-- bound to (key id, version, purpose) so a sealed value cannot be moved to another row.
CREATE TABLE master_key_check (
    id         int         PRIMARY KEY CHECK (id = 1),
    sealed     bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE signing_key (
    key_id          text        PRIMARY KEY,
    purpose         text        NOT NULL CHECK (purpose IN ('SIGN', 'ENCRYPT', 'TOKEN', 'CA')),
    label           text,
    current_version int         NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE key_version (
    key_id             text        NOT NULL REFERENCES signing_key (key_id),
    version            int         NOT NULL,
    public_key         bytea       NOT NULL,
    sealed_private_key bytea       NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    retired_at         timestamptz,
    PRIMARY KEY (key_id, version)
);

-- Certificates the hub's CA issued (and the CA's own), with their revocation state.
CREATE TABLE certificate (
    serial            text        PRIMARY KEY,
    subject           text        NOT NULL,
    issuer            text        NOT NULL,
    profile           text        NOT NULL,
    key_id            text        REFERENCES signing_key (key_id),
    not_before        timestamptz NOT NULL,
    not_after         timestamptz NOT NULL,
    der               bytea       NOT NULL,
    is_authority      boolean     NOT NULL DEFAULT false,
    issued_at         timestamptz NOT NULL DEFAULT now(),
    revoked_at        timestamptz,
    revocation_reason text
);

CREATE UNIQUE INDEX certificate_one_authority ON certificate (is_authority) WHERE is_authority;
CREATE INDEX certificate_revoked ON certificate (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX certificate_key ON certificate (key_id);

CREATE SEQUENCE crl_number;
