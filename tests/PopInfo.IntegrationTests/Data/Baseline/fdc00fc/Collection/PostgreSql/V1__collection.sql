-- The community collection desk (schema "collection"): accounts, forms, their submissions to the
-- registry (the outbox), closed days, CSV imports and the audit log.

CREATE TABLE accounts (
    user_name       text COLLATE "C" PRIMARY KEY,
    display_name    text NOT NULL,
    role            text NOT NULL,
    community_code  text COLLATE "C",
    street_code     text COLLATE "C",
    password_hash   text NOT NULL,
    failed_sign_ins integer NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    disabled        boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE forms (
    id                  uuid PRIMARY KEY,
    community_code      text COLLATE "C" NOT NULL,
    street_code         text COLLATE "C" NOT NULL,
    day                 text COLLATE "C" NOT NULL,
    late                boolean NOT NULL,
    form_type           text NOT NULL,
    state               text NOT NULL,
    revision            integer NOT NULL,
    person_id           uuid,
    expected_version    integer,
    data                text NOT NULL,
    note                text,
    command_id          uuid,
    submitted_at        timestamptz,
    sent_at             timestamptz,
    answered_at         timestamptz,
    registry_person_id  uuid,
    registry_version    integer,
    registry_sequence   bigint,
    registry_event_id   uuid,
    rejection           text,
    withdrawn_reason    text,
    import_id           uuid,
    import_line         integer,
    created_by          text NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_by          text NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE INDEX forms_community_day ON forms (community_code, day);
CREATE INDEX forms_street_day ON forms (street_code, day);
CREATE UNIQUE INDEX forms_command ON forms (command_id) WHERE command_id IS NOT NULL;

-- The outbox: one row per submission; the relay sends those not yet sent, oldest first.
CREATE TABLE submissions (
    seq        bigserial PRIMARY KEY,
    command_id uuid NOT NULL UNIQUE,
    form_id    uuid NOT NULL,
    message    text NOT NULL,
    created_at timestamptz NOT NULL,
    sent_at    timestamptz
);
CREATE INDEX submissions_unsent ON submissions (seq) WHERE sent_at IS NULL;

CREATE TABLE form_events (
    id      bigserial PRIMARY KEY,
    form_id uuid NOT NULL,
    at      timestamptz NOT NULL,
    actor   text NOT NULL,
    event   text NOT NULL,
    detail  text
);
CREATE INDEX form_events_form ON form_events (form_id, id);

CREATE TABLE closed_days (
    community_code text COLLATE "C" NOT NULL,
    day            text COLLATE "C" NOT NULL,
    closed_at      timestamptz NOT NULL,
    closed_by      text NOT NULL,
    PRIMARY KEY (community_code, day)
);

CREATE TABLE imports (
    id             uuid PRIMARY KEY,
    community_code text COLLATE "C" NOT NULL,
    file_sha256    text NOT NULL,
    file_name      text,
    rows_total     integer NOT NULL,
    rows_accepted  integer NOT NULL,
    rows_rejected  integer NOT NULL,
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL,
    CONSTRAINT imports_file_once UNIQUE (community_code, file_sha256)
);

CREATE TABLE import_rows (
    import_id  uuid NOT NULL,
    line       integer NOT NULL,
    form_type  text,
    data       text NOT NULL,
    violations text NOT NULL,
    resolved   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (import_id, line)
);

CREATE TABLE audit_log (
    id             bigserial PRIMARY KEY,
    at             timestamptz NOT NULL,
    actor          text NOT NULL,
    role           text,
    remote_address text,
    action         text NOT NULL,
    target         text,
    community_code text,
    outcome        text NOT NULL,
    detail         text
);
CREATE INDEX audit_log_at ON audit_log (at);
