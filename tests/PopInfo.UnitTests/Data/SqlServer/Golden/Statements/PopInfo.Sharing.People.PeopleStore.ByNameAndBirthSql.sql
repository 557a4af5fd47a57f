SELECT   person_id,
         version,
         id_number,
         name,
         name_key,
         birth_date,
         sex,
         status,
         residence_region_code,
         registered_region_code,
         household_id,
         record,
         sequence
FROM     people
WHERE    name_key = @nameKey
         AND birth_date = @birthDate
ORDER BY person_id
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
