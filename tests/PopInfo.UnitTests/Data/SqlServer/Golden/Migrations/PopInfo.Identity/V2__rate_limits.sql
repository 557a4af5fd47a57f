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
