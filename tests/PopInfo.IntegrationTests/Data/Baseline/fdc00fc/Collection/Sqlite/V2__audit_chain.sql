-- The audit trail as a hash chain (docs/database-roles.md, "Audit chain"): each row carries the hash of the
-- row before it and its own, SHA-256 over that previous hash and its content. Rows written before this
-- migration keep NULL hashes; the chain starts at the first row after it.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;

-- The chain's head, kept outside the audit table, so that deleting the last rows is caught too.
CREATE TABLE audit_chain_head (
    table_name TEXT PRIMARY KEY,
    last_id    INTEGER NOT NULL,
    last_hash  TEXT NOT NULL
);
INSERT INTO audit_chain_head (table_name, last_id, last_hash)
VALUES ('audit_log', 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The head only moves forward: a writer cannot move it back over rows that were then removed.
CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_chain_head
WHEN NEW.table_name <> OLD.table_name OR NEW.last_id <= OLD.last_id
BEGIN
    SELECT RAISE(ABORT, 'the head of the audit chain only moves forward');
END;
