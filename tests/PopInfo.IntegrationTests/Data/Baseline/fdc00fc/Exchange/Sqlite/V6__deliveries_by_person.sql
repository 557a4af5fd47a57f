-- A person's deliveries (POST /api/v1/persons/deliveries, the access report's source): every department's events of
-- one person, found by index.
CREATE INDEX deliveries_person ON deliveries (person_id, registry_sequence);
