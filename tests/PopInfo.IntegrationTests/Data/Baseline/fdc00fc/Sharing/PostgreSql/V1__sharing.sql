-- The information sharing service (schema "sharing"): departments' grants and their change trail, the daily quota
-- counters, and the access audit of every person verified or returned. docs/sharing.md, docs/database-roles.md.

-- One grant per department, keyed by its OAuth client id (dept-{code}): the domain's SharingGrant, with a version for
-- optimistic concurrency. Lists and the field → mask map as JSON text (small, read whole, never queried inside).
CREATE TABLE grants (
    client_id           text PRIMARY KEY,
    operations          text NOT NULL,     -- JSON array of operation names
    fields              text NOT NULL,     -- JSON object: field → plain | masked
    regions             text NOT NULL,     -- JSON array of region codes
    purposes            text NOT NULL,     -- JSON array of purpose codes
    requests_per_minute integer NOT NULL,
    daily_quota         integer NOT NULL,
    may_tell_not_found  boolean NOT NULL,
    status              text NOT NULL,     -- active | suspended
    version             integer NOT NULL,
    updated_at          timestamptz NOT NULL,
    updated_by          text NOT NULL
);

-- Every change to a grant (create, replace, suspend, activate, delete) with the grant before and after, who and when:
-- a hash chain (docs/database-roles.md, "Audit chain"); the runtime role may only add to it and read it.
CREATE TABLE grant_changes (
    id             bigserial PRIMARY KEY,
    at             timestamptz NOT NULL,
    actor          text NOT NULL,
    remote_address text,
    client_id      text NOT NULL,
    action         text NOT NULL,
    before         text,
    after          text,
    prev_hash      text,
    hash           text
);
CREATE INDEX grant_changes_client ON grant_changes (client_id, id);

-- Items used per department and China day (UTC+8): each item of a batch counts; added to atomically with the check.
CREATE TABLE quota_days (
    client_id text NOT NULL,
    day       date NOT NULL,
    used      bigint NOT NULL,
    PRIMARY KEY (client_id, day)
);

-- One row per person verified or returned (or per item refused after the grant was checked): who asked (department,
-- its end user), whom (the register's person id, never an identity number or a name), which fields, why (purpose,
-- case reference), what came of it, as of which register sequence, when. Written by group commit before any answer
-- leaves; a hash chain, insert-only for the runtime role.
CREATE TABLE access_audit (
    id             bigserial PRIMARY KEY,
    at             timestamptz NOT NULL,
    request_id     uuid NOT NULL,
    client_id      text NOT NULL,
    end_user       text,
    operation      text NOT NULL,
    purpose        text NOT NULL,
    case_reference text NOT NULL,
    person_id      uuid,
    fields         text,              -- the fields returned, comma-separated; none for a verification
    outcome        text NOT NULL,
    as_of_sequence bigint,
    prev_hash      text,
    hash           text
);
CREATE INDEX access_audit_person ON access_audit (person_id, id);
CREATE INDEX access_audit_client ON access_audit (client_id, at);

-- The chains' heads, kept outside the audit tables, so that deleting the last rows is caught too.
CREATE TABLE audit_chain_head (
    table_name text PRIMARY KEY,
    last_id    bigint NOT NULL,
    last_hash  text NOT NULL
);
INSERT INTO audit_chain_head (table_name, last_id, last_hash) VALUES
    ('grant_changes', 0, '0000000000000000000000000000000000000000000000000000000000000000'),
    ('access_audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- A head only moves forward: a writer cannot move it back over rows that were then removed.
CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.table_name <> OLD.table_name OR NEW.last_id <= OLD.last_id THEN
        RAISE EXCEPTION 'the head of the audit chain of % only moves forward', OLD.table_name USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only();

-- Rate-limit counters shared by every instance of the service (PopInfo.ServiceDefaults RateLimitCounter): one row per
-- limit, hashed key and fixed window (Unix seconds); ended windows are deleted by expires_at.
CREATE TABLE rate_limit_windows (
    limit_name    text    NOT NULL,
    partition_key text    NOT NULL,
    window_start  bigint  NOT NULL,
    expires_at    bigint  NOT NULL,
    hits          integer NOT NULL,
    PRIMARY KEY (limit_name, partition_key, window_start)
);
CREATE INDEX rate_limit_windows_expires ON rate_limit_windows (expires_at);
