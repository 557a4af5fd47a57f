SELECT last_id AS LastId,
       last_hash AS LastHash
FROM   audit_chain_head WITH (UPDLOCK, ROWLOCK)
WHERE  table_name = @Name;
