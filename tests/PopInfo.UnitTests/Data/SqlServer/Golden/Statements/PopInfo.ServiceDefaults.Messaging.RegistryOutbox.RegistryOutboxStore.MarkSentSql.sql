UPDATE registry_command_outbox
SET    sent_at = @now,
       sends   = sends + 1
WHERE  seq IN (@seqs1, @seqs2);
