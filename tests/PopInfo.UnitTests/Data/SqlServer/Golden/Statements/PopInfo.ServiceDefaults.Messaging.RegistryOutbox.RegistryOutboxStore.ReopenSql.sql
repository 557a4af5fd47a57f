UPDATE registry_command_outbox
SET    sent_at = NULL
WHERE  seq IN (@seqs1, @seqs2);
