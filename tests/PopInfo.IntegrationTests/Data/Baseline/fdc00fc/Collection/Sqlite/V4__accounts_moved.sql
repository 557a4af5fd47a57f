-- The desk's accounts move into the identity provider (DeskAccountsMove): when each one went, and its hash is
-- then emptied here so that no second copy of a password hash stays behind.
ALTER TABLE accounts ADD COLUMN moved_at TEXT;
