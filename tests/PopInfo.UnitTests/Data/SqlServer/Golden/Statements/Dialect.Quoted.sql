SELECT key_id,
       [use]
FROM   signing_keys;
