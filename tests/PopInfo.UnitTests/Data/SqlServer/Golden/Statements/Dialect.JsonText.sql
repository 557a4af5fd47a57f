SELECT JSON_VALUE(record, '$.person.birthDate') AS birth
FROM   persons;
