INSERT  INTO alerts (rule_code, rule_version, subject, metric, comparison, threshold, severity, held_since, fired_at, fired_value, last_value, last_seen_at)
OUTPUT  inserted.id
VALUES              (@Code, @Version, @subject, @Metric, @Comparison, @Threshold, @Severity, @heldSince, @now, @value, @value, @seenAt);
