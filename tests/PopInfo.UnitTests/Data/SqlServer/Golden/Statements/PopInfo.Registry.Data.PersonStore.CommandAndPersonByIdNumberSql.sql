SELECT command_type AS Command_Type,
       request_hash AS Request_Hash,
       status_code AS Status_Code,
       response AS Response
FROM   commands
WHERE  command_id = @commandId;

SELECT record AS Record,
       version AS Version,
       change_type AS Change_Type,
       occurred_at AS Occurred_At,
       recorded_at AS Recorded_At
FROM   persons WITH (UPDLOCK, ROWLOCK)
WHERE  id_number = @idNumber;
