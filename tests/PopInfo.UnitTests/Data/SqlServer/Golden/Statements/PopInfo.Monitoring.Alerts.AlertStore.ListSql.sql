SELECT   id AS Id,
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
FROM     alerts
WHERE    ended_at IS NULL
         AND (@beforeId IS NULL
              OR id < @beforeId)
ORDER BY id DESC
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
