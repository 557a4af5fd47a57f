-- Every analytics instance follows the store into its own index (docs/architecture.md, "Several instances: single-active
-- loops"): it reads the versions whose change-log sequence lies between its index's watermark and the store's. Snapshot
-- rows have no sequence and are never read that way: the index covers only the rows that came from the change log.
CREATE INDEX person_versions_sequence ON person_versions (sequence) WHERE sequence IS NOT NULL;
