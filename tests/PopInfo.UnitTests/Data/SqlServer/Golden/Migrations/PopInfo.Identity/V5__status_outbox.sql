CREATE TABLE status_outbox (
    seq        BIGINT         IDENTITY (1, 1) PRIMARY KEY,
    message    NVARCHAR (MAX) NOT NULL,
    created_at DATETIMEOFFSET NOT NULL,
    sent_at    DATETIMEOFFSET
);

CREATE INDEX status_outbox_unsent
    ON status_outbox(seq) WHERE sent_at IS NULL;
