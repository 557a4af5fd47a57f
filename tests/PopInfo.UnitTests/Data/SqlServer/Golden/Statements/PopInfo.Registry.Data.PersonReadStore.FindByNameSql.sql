SELECT   record AS Record,
         version AS Version,
         change_type AS Change_Type,
         occurred_at AS Occurred_At,
         recorded_at AS Recorded_At
FROM     persons
WHERE    name = @name
ORDER BY id_number
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
