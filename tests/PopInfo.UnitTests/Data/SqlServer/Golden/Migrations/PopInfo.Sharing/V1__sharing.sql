CREATE TABLE grants (
    client_id           NVARCHAR (200) PRIMARY KEY,
    operations          NVARCHAR (MAX) NOT NULL,
    fields              NVARCHAR (MAX) NOT NULL,
    regions             NVARCHAR (MAX) NOT NULL,
    purposes            NVARCHAR (MAX) NOT NULL,
    requests_per_minute INT            NOT NULL,
    daily_quota         INT            NOT NULL,
    may_tell_not_found  BIT            NOT NULL,
    status              NVARCHAR (MAX) NOT NULL,
    version             INT            NOT NULL,
    updated_at          DATETIMEOFFSET NOT NULL,
    updated_by          NVARCHAR (MAX) NOT NULL
);

CREATE TABLE grant_changes (
    id             BIGINT         IDENTITY (1, 1) PRIMARY KEY,
    at             DATETIMEOFFSET NOT NULL,
    actor          NVARCHAR (MAX) NOT NULL,
    remote_address NVARCHAR (MAX),
    client_id      NVARCHAR (200) NOT NULL,
    action         NVARCHAR (MAX) NOT NULL,
    before         NVARCHAR (MAX),
    after          NVARCHAR (MAX),
    prev_hash      NVARCHAR (MAX),
    hash           NVARCHAR (MAX)
);

CREATE INDEX grant_changes_client
    ON grant_changes(client_id, id);

CREATE TABLE quota_days (
    client_id NVARCHAR (200) NOT NULL,
    day       DATE           NOT NULL,
    used      BIGINT         NOT NULL,
    PRIMARY KEY (client_id, day)
);

CREATE TABLE access_audit (
    id             BIGINT           IDENTITY (1, 1) PRIMARY KEY,
    at             DATETIMEOFFSET   NOT NULL,
    request_id     UNIQUEIDENTIFIER NOT NULL,
    client_id      NVARCHAR (200)   NOT NULL,
    end_user       NVARCHAR (MAX)  ,
    operation      NVARCHAR (MAX)   NOT NULL,
    purpose        NVARCHAR (MAX)   NOT NULL,
    case_reference NVARCHAR (MAX)   NOT NULL,
    person_id      UNIQUEIDENTIFIER,
    fields         NVARCHAR (MAX)  ,
    outcome        NVARCHAR (MAX)   NOT NULL,
    as_of_sequence BIGINT          ,
    prev_hash      NVARCHAR (MAX)  ,
    hash           NVARCHAR (MAX)  
);

CREATE INDEX access_audit_person
    ON access_audit(person_id, id);

CREATE INDEX access_audit_client
    ON access_audit(client_id, at);

CREATE TABLE audit_chain_head (
    table_name NVARCHAR (200) PRIMARY KEY,
    last_id    BIGINT         NOT NULL,
    last_hash  NVARCHAR (MAX) NOT NULL
);

INSERT  INTO audit_chain_head (table_name, last_id, last_hash)
VALUES                        ('grant_changes', 0, '0000000000000000000000000000000000000000000000000000000000000000'),
                              ('access_audit', 0, '0000000000000000000000000000000000000000000000000000000000000000');


GO
CREATE TRIGGER audit_chain_head_forward_only
    ON audit_chain_head
    AFTER UPDATE
    AS BEGIN
           SET NOCOUNT ON;
           IF EXISTS (SELECT 1
                      FROM   inserted AS i
                             INNER JOIN
                             deleted AS d
                             ON d.table_name = i.table_name
                      WHERE  i.last_id <= d.last_id)
              OR EXISTS (SELECT 1
                         FROM   inserted AS i
                         WHERE  NOT EXISTS (SELECT 1
                                            FROM   deleted AS d
                                            WHERE  d.table_name = i.table_name))
               THROW 50000, 'the head of the audit chain only moves forward', 1;
       END


GO
CREATE TABLE rate_limit_windows (
    limit_name    NVARCHAR (200) NOT NULL,
    partition_key NVARCHAR (200) NOT NULL,
    window_start  BIGINT         NOT NULL,
    expires_at    BIGINT         NOT NULL,
    hits          INT            NOT NULL,
    PRIMARY KEY (limit_name, partition_key, window_start)
);

CREATE INDEX rate_limit_windows_expires
    ON rate_limit_windows(expires_at);
