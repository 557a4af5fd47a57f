SELECT *
FROM   (SELECT   department_code AS DepartmentCode,
                 sequence AS Sequence,
                 event_type AS Type,
                 event AS Event,
                 traceparent AS TraceParent,
                 tracestate AS TraceState
        FROM     deliveries
        WHERE    department_code = @c0
                 AND sequence > @s0
        ORDER BY sequence
        OFFSET 0 ROWS FETCH NEXT @batch ROWS ONLY) AS d0
UNION ALL
SELECT *
FROM   (SELECT   department_code AS DepartmentCode,
                 sequence AS Sequence,
                 event_type AS Type,
                 event AS Event,
                 traceparent AS TraceParent,
                 tracestate AS TraceState
        FROM     deliveries
        WHERE    department_code = @c1
                 AND sequence > @s1
        ORDER BY sequence
        OFFSET 0 ROWS FETCH NEXT @batch ROWS ONLY) AS d1;
