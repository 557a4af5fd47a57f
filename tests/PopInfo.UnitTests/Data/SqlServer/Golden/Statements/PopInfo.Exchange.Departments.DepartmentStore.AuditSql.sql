SELECT   id AS Id,
         at AS At,
         actor AS Actor,
         remote_address AS RemoteAddress,
         department_code AS DepartmentCode,
         subscription_id AS SubscriptionId,
         action AS Action,
         before AS Before,
         after AS After
FROM     audit_log
WHERE    department_code = @code
         AND id > @after
ORDER BY id
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
