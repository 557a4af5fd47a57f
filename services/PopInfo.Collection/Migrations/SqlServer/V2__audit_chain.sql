-- SQL Server's translation of PostgreSql/V2__audit_chain.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The audit trail as a hash chain (docs/database-roles.md, "Audit chain"): each row carries the hash of the
-- row before it and its own, SHA-256 over that previous hash and its content. Rows written before this
-- migration keep NULL hashes; the chain starts at the first row after it.
ALTER TABLE audit_log ADD prev_hash nvarchar(max);
ALTER TABLE audit_log ADD hash nvarchar(max);

-- The chain's head, kept outside the audit table, so that deleting the last rows is caught too.
CREATE TABLE audit_chain_head (
    table_name nvarchar(200) PRIMARY KEY,
    last_id    bigint NOT NULL,
    last_hash  nvarchar(max) NOT NULL
);
INSERT INTO audit_chain_head (table_name, last_id, last_hash)
VALUES ('audit_log', 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The head only moves forward: a writer cannot move it back over rows that were then removed.
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
