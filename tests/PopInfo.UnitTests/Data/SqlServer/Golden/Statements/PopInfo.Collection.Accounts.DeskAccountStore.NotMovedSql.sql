SELECT   user_name,
         display_name,
         role,
         community_code,
         street_code,
         password_hash,
         disabled
FROM     accounts
WHERE    moved_at IS NULL
ORDER BY user_name
OFFSET 0 ROWS FETCH NEXT @limit ROWS ONLY;
