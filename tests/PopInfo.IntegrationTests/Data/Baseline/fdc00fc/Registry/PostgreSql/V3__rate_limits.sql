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
