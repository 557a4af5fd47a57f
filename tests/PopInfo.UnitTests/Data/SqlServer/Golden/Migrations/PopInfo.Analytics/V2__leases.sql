CREATE TABLE leases (
    name       NVARCHAR (200) PRIMARY KEY,
    holder     NVARCHAR (200) NOT NULL,
    epoch      BIGINT         NOT NULL,
    expires_at DATETIMEOFFSET NOT NULL
);
