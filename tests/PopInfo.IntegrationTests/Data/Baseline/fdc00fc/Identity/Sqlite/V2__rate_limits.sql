-- Rate-limit counters shared by every instance of the service (PopInfo.ServiceDefaults RateLimitCounter): one row per
-- limit, hashed key and fixed window (Unix seconds); ended windows are deleted by expires_at.
CREATE TABLE rate_limit_windows (
    limit_name    TEXT    NOT NULL,
    partition_key TEXT    NOT NULL,
    window_start  INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    hits          INTEGER NOT NULL,
    PRIMARY KEY (limit_name, partition_key, window_start)
) WITHOUT ROWID;
CREATE INDEX rate_limit_windows_expires ON rate_limit_windows (expires_at);
