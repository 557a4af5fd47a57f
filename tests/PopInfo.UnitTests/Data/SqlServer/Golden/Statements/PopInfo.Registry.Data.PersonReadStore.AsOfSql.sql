SELECT   record AS Record,
         version AS Version,
         change_type AS Change_Type,
         occurred_at AS Occurred_At,
         recorded_at AS Recorded_At
FROM     person_history
WHERE    person_id = @id
         AND recorded_at <= @asOf
ORDER BY version DESC
OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY;
