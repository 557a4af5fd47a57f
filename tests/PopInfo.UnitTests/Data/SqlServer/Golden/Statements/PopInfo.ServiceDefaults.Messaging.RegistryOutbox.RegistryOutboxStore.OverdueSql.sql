SELECT   seq AS Seq,
         sent_at AS SentAt,
         sends AS Sends
FROM     registry_command_outbox
WHERE    sent_at < @cutoff
ORDER BY sent_at, seq
OFFSET 0 ROWS FETCH NEXT @scan ROWS ONLY;
