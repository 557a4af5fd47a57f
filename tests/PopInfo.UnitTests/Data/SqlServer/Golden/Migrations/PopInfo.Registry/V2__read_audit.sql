CREATE TABLE read_audit (
    id         BIGINT         IDENTITY (1, 1) PRIMARY KEY,
    at         DATETIMEOFFSET NOT NULL,
    client     NVARCHAR (MAX) NOT NULL,
    subject    NVARCHAR (MAX) NOT NULL,
    action     NVARCHAR (MAX) NOT NULL,
    person_ids NVARCHAR (MAX) NULL,
    detail     NVARCHAR (MAX) NULL
);
