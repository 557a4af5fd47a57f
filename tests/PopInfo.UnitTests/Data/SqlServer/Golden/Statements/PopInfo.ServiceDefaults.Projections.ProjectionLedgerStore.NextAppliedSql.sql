SELECT   sequence,
         recorded_at
FROM     applied_sequences
WHERE    sequence > @watermark
ORDER BY sequence
OFFSET 0 ROWS FETCH NEXT 1000 ROWS ONLY;
