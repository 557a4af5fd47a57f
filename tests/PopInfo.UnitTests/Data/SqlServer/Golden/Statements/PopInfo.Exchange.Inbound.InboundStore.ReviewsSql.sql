SELECT   id AS Id,
         department_code AS DepartmentCode,
         record_id AS RecordId,
         kind AS Kind,
         channel AS Channel,
         payload AS Payload,
         state AS State,
         person_id AS PersonId,
         match_kind AS MatchKind,
         command_type AS CommandType,
         command AS Command,
         reason_rule AS ReasonRule,
         reason_field AS ReasonField,
         reason AS Reason,
         refusal AS Refusal,
         answer AS Answer,
         received_at AS ReceivedAt,
         sent_at AS SentAt,
         answered_at AS AnsweredAt,
         decision AS Decision,
         decision_reason AS DecisionReason,
         decided_at AS DecidedAt,
         decided_by AS DecidedBy
FROM     inbound_records
WHERE    state = 'held'
         AND (@departmentCode IS NULL
              OR department_code = @departmentCode)
ORDER BY received_at, id
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
