UPDATE t
SET    a = a + 1
OUTPUT inserted.a, inserted.b
WHERE  id = 1;
