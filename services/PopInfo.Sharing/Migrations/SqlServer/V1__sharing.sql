-- SQL Server's translation of PostgreSql/V1__sharing.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The information sharing service (schema "sharing"): departments' grants and their change trail, the daily quota
-- counters, and the access audit of every person verified or returned. docs/sharing.md, docs/database-roles.md.

-- One grant per department, keyed by its OAuth client id (dept-{code}): the domain's SharingGrant, with a version for
-- optimistic concurrency. Lists and the field → mask map as JSON text (small, read whole, never queried inside).
CREATE TABLE grants (
    client_id           nvarchar(200) PRIMARY KEY,
    operations          nvarchar(max) NOT NULL,     -- JSON array of operation names
    fields              nvarchar(max) NOT NULL,     -- JSON object: field → plain | masked
    regions             nvarchar(max) NOT NULL,     -- JSON array of region codes
    purposes            nvarchar(max) NOT NULL,     -- JSON array of purpose codes
    requests_per_minute int NOT NULL,
    daily_quota         int NOT NULL,
    may_tell_not_found  bit NOT NULL,
    status              nvarchar(max) NOT NULL,     -- active | suspended
    version             int NOT NULL,
    updated_at          datetimeoffset NOT NULL,
    updated_by          nvarchar(max) NOT NULL
);

-- Every change to a grant (create, replace, suspend, activate, delete) with the grant before and after, who and when:
-- a hash chain (docs/database-roles.md, "Audit chain"); the runtime role may only add to it and read it.
CREATE TABLE grant_changes (
    id             bigint IDENTITY(1,1) PRIMARY KEY,
    at             datetimeoffset NOT NULL,
    actor          nvarchar(max) NOT NULL,
    remote_address nvarchar(max),
    client_id      nvarchar(200) NOT NULL,
    action         nvarchar(max) NOT NULL,
    before         nvarchar(max),
    after          nvarchar(max),
    prev_hash      nvarchar(max),
    hash           nvarchar(max)
);
CREATE INDEX grant_changes_client ON grant_changes (client_id, id);

-- Items used per department and China day (UTC+8): each item of a batch counts; added to atomically with the check.
CREATE TABLE quota_days (
    client_id nvarchar(200) NOT NULL,
    day       date NOT NULL,
    used      bigint NOT NULL,
    PRIMARY KEY (client_id, day)
);

-- One row per person verified or returned (or per item refused after the grant was checked): who asked (department,
-- its end user), whom (the register's person id, never an identity number or a name), which fields, why (purpose,
-- case reference), what came of it, as of which register sequence, when. Written by group commit before any answer
-- leaves; a hash chain, insert-only for the runtime role.
CREATE TABLE access_audit (
    id             bigint IDENTITY(1,1) PRIMARY KEY,
    at             datetimeoffset NOT NULL,
    request_id     uniqueidentifier NOT NULL,
    client_id      nvarchar(200) NOT NULL,
    end_user       nvarchar(max),
    operation      nvarchar(max) NOT NULL,
    purpose        nvarchar(max) NOT NULL,
    case_reference nvarchar(max) NOT NULL,
    person_id      uniqueidentifier,
    fields         nvarchar(max),              -- the fields returned, comma-separated; none for a verification
    outcome        nvarchar(max) NOT NULL,
    as_of_sequence bigint,
    prev_hash      nvarchar(max),
    hash           nvarchar(max)
);
CREATE INDEX access_audit_person ON access_audit (person_id, id);
CREATE INDEX access_audit_client ON access_audit (client_id, at);

-- The chains' heads, kept outside the audit tables, so that deleting the last rows is caught too.
CREATE TABLE audit_chain_head (
    table_name nvarchar(200) PRIMARY KEY,
    last_id    bigint NOT NULL,
    last_hash  nvarchar(max) NOT NULL
);
INSERT INTO audit_chain_head (table_name, last_id, last_hash) VALUES
    ('grant_changes', 0, '0000000000000000000000000000000000000000000000000000000000000000'),
    ('access_audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- A head only moves forward: a writer cannot move it back over rows that were then removed.
GO
CREATE TRIGGER audit_chain_head_forward_only ON audit_chain_head AFTER UPDATE AS
BEGIN
    SET NOCOUNT ON;
    -- A head whose last id did not grow, or whose table changed (a new name that was not there before).
    IF EXISTS (SELECT 1 FROM inserted i JOIN deleted d ON d.table_name = i.table_name WHERE i.last_id <= d.last_id)
        OR EXISTS (SELECT 1 FROM inserted i WHERE NOT EXISTS (SELECT 1 FROM deleted d WHERE d.table_name = i.table_name))
        THROW 50000, 'the head of the audit chain only moves forward', 1;
END
GO

-- Rate-limit counters shared by every instance of the service (PopInfo.ServiceDefaults RateLimitCounter): one row per
-- limit, hashed key and fixed window (Unix seconds); ended windows are deleted by expires_at.
CREATE TABLE rate_limit_windows (
    limit_name    nvarchar(200)    NOT NULL,
    partition_key nvarchar(200)    NOT NULL,
    window_start  bigint  NOT NULL,
    expires_at    bigint  NOT NULL,
    hits          int NOT NULL,
    PRIMARY KEY (limit_name, partition_key, window_start)
);
CREATE INDEX rate_limit_windows_expires ON rate_limit_windows (expires_at);
