CREATE INDEX person_versions_sequence
    ON person_versions(sequence) WHERE sequence IS NOT NULL;
