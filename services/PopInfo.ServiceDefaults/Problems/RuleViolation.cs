namespace PopInfo.ServiceDefaults.Problems;

/// <summary>One broken rule: the field (camelCase JSON path, e.g. <c>child.idNumber</c>), the rule's stable name, and a message for people.</summary>
public sealed record RuleViolation(string Field, string Rule, string Message);
