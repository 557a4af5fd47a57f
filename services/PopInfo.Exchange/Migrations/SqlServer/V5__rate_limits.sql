-- SQL Server's translation of PostgreSql/V5__rate_limits.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
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
