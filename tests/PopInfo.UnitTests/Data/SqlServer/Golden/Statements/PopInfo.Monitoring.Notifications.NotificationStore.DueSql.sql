SELECT   id AS Id,
         event_id AS EventId,
         body AS Body,
         attempts AS Attempts
FROM     notifications
WHERE    sent_at IS NULL
         AND given_up_at IS NULL
         AND next_attempt_at <= @now
ORDER BY id
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
