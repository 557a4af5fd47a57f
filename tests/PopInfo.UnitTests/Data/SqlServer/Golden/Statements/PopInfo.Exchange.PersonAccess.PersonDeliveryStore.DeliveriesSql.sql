SELECT   x.department_code AS Department,
         d.name AS DepartmentName,
         x.sequence AS Sequence,
         x.registry_sequence AS RegistrySequence,
         x.event_type AS EventType,
         x.subscription_id AS SubscriptionId,
         s.purpose AS Purpose,
         x.created_at AS CreatedAt,
         x.webhook_state AS WebhookState,
         x.webhook_attempts AS WebhookAttempts,
         x.webhook_at AS WebhookAt,
         d.amqp_user AS AmqpUser,
         COALESCE (c.last_sequence, 0) AS Published
FROM     deliveries AS x
         INNER JOIN
         departments AS d
         ON d.code = x.department_code
         LEFT OUTER JOIN
         subscriptions AS s
         ON s.id = x.subscription_id
         LEFT OUTER JOIN
         amqp_cursors AS c
         ON c.department_code = x.department_code
WHERE    x.person_id = @personId
         AND x.registry_sequence IN (@sequences1, @sequences2)
ORDER BY x.registry_sequence, x.department_code, x.sequence
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
