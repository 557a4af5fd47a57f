SELECT id AS Id,
       rule_code AS RuleCode,
       rule_version AS RuleVersion,
       subject AS Subject,
       metric AS Metric,
       comparison AS Comparison,
       threshold AS Threshold,
       severity AS Severity,
       held_since AS HeldSince,
       fired_at AS FiredAt,
       fired_value AS FiredValue,
       last_value AS LastValue,
       last_seen_at AS LastSeenAt,
       ended_at AS EndedAt,
       acknowledged_at AS AcknowledgedAt,
       acknowledged_by AS AcknowledgedBy
FROM   alerts WITH (UPDLOCK, ROWLOCK)
WHERE  id = @id;
