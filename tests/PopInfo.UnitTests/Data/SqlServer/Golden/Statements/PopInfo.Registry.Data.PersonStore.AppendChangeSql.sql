UPDATE change_sequence
SET    last_sequence = last_sequence + 1
WHERE  id = 1;

INSERT INTO change_log (sequence, event_id, person_id, change_type, recorded_at, event, traceparent, tracestate)
SELECT s.last_sequence,
       @EventId,
       @Id,
       @ChangeType,
       @RecordedAt,
       REPLACE(@Event, @Placeholder, CONCAT('"sequence":', CAST (s.last_sequence AS NVARCHAR (20)))),
       @TraceParent,
       @TraceState
FROM   change_sequence AS s
WHERE  s.id = 1;

INSERT INTO commands (command_id, command_type, request_hash, status_code, response, recorded_at)
SELECT @CommandId,
       @CommandType,
       @RequestHash,
       @StatusCode,
       REPLACE(@Response, @Placeholder, CONCAT('"sequence":', CAST (s.last_sequence AS NVARCHAR (20)))),
       @RecordedAt
FROM   change_sequence AS s
WHERE  s.id = 1;

SELECT CASE WHEN p.version = @Version THEN s.last_sequence ELSE 0 END
FROM   change_sequence AS s
       INNER JOIN
       persons AS p
       ON p.id = @Id
WHERE  s.id = 1;
