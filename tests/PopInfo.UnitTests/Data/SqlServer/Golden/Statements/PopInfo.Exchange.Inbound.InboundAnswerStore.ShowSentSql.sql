UPDATE inbound_records
SET    state   = 'sent',
       sent_at = @at
WHERE  id IN (@ids1, @ids2)
       AND state = 'queued';
