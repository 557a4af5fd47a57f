SELECT   key_id,
         [use],
         key_material,
         created_at,
         activate_at,
         retire_at
FROM     signing_keys
ORDER BY activate_at, created_at, key_id;
