MERGE INTO people WITH (HOLDLOCK)

USING (VALUES (@p0_0, @p0_1, @p0_2, @p0_3, @p0_4, @p0_5, @p0_6, @p0_7, @p0_8, @p0_9, @p0_10, @p0_11, @p0_12), (@p1_0, @p1_1, @p1_2, @p1_3, @p1_4, @p1_5, @p1_6, @p1_7, @p1_8, @p1_9, @p1_10, @p1_11, @p1_12)) AS excluded(person_id, version, id_number, name, name_key, birth_date, sex, status, residence_region_code, registered_region_code, household_id, record, sequence) ON people.person_id = excluded.person_id
WHEN MATCHED AND (people.version < excluded.version) THEN UPDATE 
SET version                = excluded.version,
    id_number              = excluded.id_number,
    name                   = excluded.name,
    name_key               = excluded.name_key,
    birth_date             = excluded.birth_date,
    sex                    = excluded.sex,
    status                 = excluded.status,
    residence_region_code  = excluded.residence_region_code,
    registered_region_code = excluded.registered_region_code,
    household_id           = excluded.household_id,
    record                 = excluded.record,
    sequence               = excluded.sequence
WHEN NOT MATCHED THEN INSERT (person_id, version, id_number, name, name_key, birth_date, sex, status, residence_region_code, registered_region_code, household_id, record, sequence) VALUES (excluded.person_id, excluded.version, excluded.id_number, excluded.name, excluded.name_key, excluded.birth_date, excluded.sex, excluded.status, excluded.residence_region_code, excluded.registered_region_code, excluded.household_id, excluded.record, excluded.sequence);
