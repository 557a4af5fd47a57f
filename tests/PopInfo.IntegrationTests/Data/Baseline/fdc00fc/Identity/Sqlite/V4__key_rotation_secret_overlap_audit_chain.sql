-- Signing keys rotate (docs/security.md, "Signing keys"): each key is published from created_at, signs (or, for
-- 'enc', encrypts OpenIddict's codes and refresh tokens) from activate_at until its successor activates, and is
-- still published and accepted until retire_at, when every token it signed has expired. Keys made before this
-- migration were active from the start.
ALTER TABLE signing_keys ADD COLUMN activate_at TEXT NOT NULL DEFAULT '';
UPDATE signing_keys SET activate_at = created_at;
ALTER TABLE signing_keys ADD COLUMN retire_at TEXT NULL;
CREATE INDEX signing_keys_use_activate ON signing_keys (use, activate_at);

-- A client's previous secret while its rotation overlaps (docs/security.md, "Client secrets"): OpenIddict's hash
-- of it (never the secret), accepted until previous_secret_expires_at (NULL with a hash: a platform service's
-- previous secret from its settings, accepted while the setting is there).
ALTER TABLE clients ADD COLUMN previous_secret_hash TEXT NULL;
ALTER TABLE clients ADD COLUMN previous_secret_expires_at TEXT NULL;

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
