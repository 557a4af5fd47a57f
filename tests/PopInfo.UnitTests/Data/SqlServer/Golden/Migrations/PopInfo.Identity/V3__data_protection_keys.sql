CREATE TABLE data_protection_keys (
    name       NVARCHAR (200) PRIMARY KEY,
    xml        NVARCHAR (MAX) NOT NULL,
    created_at DATETIMEOFFSET NOT NULL
);
