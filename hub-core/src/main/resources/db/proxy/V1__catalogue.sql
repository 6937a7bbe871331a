-- The data proxy's catalogue: services added through the admin API (those of the definitions file are copied in at
-- start, marked origin 'config'), consumer applications (应用) with their credentials, and their applications for
-- services (接口申请) with the field grants an operator approved.
CREATE TABLE service (
    service_id  text        PRIMARY KEY,
    definition  jsonb       NOT NULL,
    origin      text        NOT NULL CHECK (origin IN ('config', 'api')),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE consumer (
    app_key        text        PRIMARY KEY,
    name           text        NOT NULL,
    -- The app secret, sealed with the master key: the hub needs it in clear to check HMAC-SM3 signatures.
    sealed_secret  bytea       NOT NULL,
    sm2_public_key text,
    ip_allow       jsonb       NOT NULL DEFAULT '[]'::jsonb,
    rate_limit     text,
    disabled       boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE application (
    application_id bigserial   PRIMARY KEY,
    app_key        text        NOT NULL REFERENCES consumer (app_key),
    service_id     text        NOT NULL,
    fields         jsonb       NOT NULL,
    purpose        text        NOT NULL,
    state          text        NOT NULL CHECK (state IN ('PENDING', 'APPROVED', 'REJECTED', 'REVOKED')),
    grants         jsonb,
    decided_by     text,
    decision_note  text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    decided_at     timestamptz
);

-- At most one approval in force per consumer and service: approving again replaces the grants of the earlier one.
CREATE UNIQUE INDEX application_one_approved ON application (app_key, service_id) WHERE state = 'APPROVED';
CREATE INDEX application_state ON application (state, created_at);
