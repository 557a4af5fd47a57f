UPDATE change_sequence
SET    last_sequence = last_sequence + 1
OUTPUT inserted.last_sequence
WHERE  id = 1;
