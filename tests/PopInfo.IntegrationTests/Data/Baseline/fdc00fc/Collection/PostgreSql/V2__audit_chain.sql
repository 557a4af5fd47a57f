-- The audit trail as a hash chain (docs/database-roles.md, "Audit chain"): each row carries the hash of the
-- row before it and its own, SHA-256 over that previous hash and its content. Rows written before this
-- migration keep NULL hashes; the chain starts at the first row after it.
ALTER TABLE audit_log ADD COLUMN prev_hash text;
ALTER TABLE audit_log ADD COLUMN hash text;

-- The chain's head, kept outside the audit table, so that deleting the last rows is caught too.
CREATE TABLE audit_chain_head (
    table_name text PRIMARY KEY,
    last_id    bigint NOT NULL,
    last_hash  text NOT NULL
);
INSERT INTO audit_chain_head (table_name, last_id, last_hash)
VALUES ('audit_log', 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The head only moves forward: a writer cannot move it back over rows that were then removed.
CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.table_name <> OLD.table_name OR NEW.last_id <= OLD.last_id THEN
        RAISE EXCEPTION 'the head of the audit chain of % only moves forward', OLD.table_name USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only();
