SELECT snapshot_sequence,
       low_watermark,
       watermark_recorded_at
FROM   projection_state WITH (UPDLOCK, ROWLOCK)
WHERE  id = 1;
