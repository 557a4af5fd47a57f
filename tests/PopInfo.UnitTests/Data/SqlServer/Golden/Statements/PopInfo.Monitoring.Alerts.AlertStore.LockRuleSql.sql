SELECT code AS Code,
       metric AS Metric,
       comparison AS Comparison,
       threshold AS Threshold,
       duration_seconds AS DurationSeconds,
       severity AS Severity,
       enabled AS Enabled,
       description AS Description,
       version AS Version,
       changed_at AS ChangedAt,
       changed_by AS ChangedBy
FROM   alert_rules WITH (UPDLOCK, ROWLOCK)
WHERE  code = @Code;
