UPDATE accounts
SET    locked_until    = CASE WHEN failed_sign_ins + 1 >= @max THEN @lockUntil ELSE locked_until END,
       failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @max THEN 0 ELSE failed_sign_ins + 1 END,
       updated_at      = @now
OUTPUT inserted.failed_sign_ins
WHERE  user_name = @userName;
