UPDATE registry_command_outbox
SET    sent_at = NULL
WHERE  answered_at IS NULL
       AND seq IN (@seqs1, @seqs2);
