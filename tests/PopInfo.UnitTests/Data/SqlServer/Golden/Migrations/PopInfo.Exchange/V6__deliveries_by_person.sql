CREATE INDEX deliveries_person
    ON deliveries(person_id, registry_sequence);
