SELECT   metric AS Metric,
         subject AS Subject,
         taken_at AS TakenAt,
         value AS Value
FROM     samples
WHERE    metric = @metric
         AND (@subject IS NULL
              OR subject = @subject)
         AND taken_at >= @from
         AND taken_at <= @to
ORDER BY taken_at, subject
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
