ALTER TABLE audit_log
    ADD prev_hash NVARCHAR (MAX);

ALTER TABLE audit_log
    ADD hash NVARCHAR (MAX);

CREATE TABLE audit_chain_head (
    table_name NVARCHAR (200) PRIMARY KEY,
    last_id    BIGINT         NOT NULL,
    last_hash  NVARCHAR (MAX) NOT NULL
);

INSERT  INTO audit_chain_head (table_name, last_id, last_hash)
VALUES                        ('audit_log', 0, '0000000000000000000000000000000000000000000000000000000000000000');


GO
CREATE TRIGGER audit_chain_head_forward_only
    ON audit_chain_head
    AFTER UPDATE
    AS BEGIN
           SET NOCOUNT ON;
           IF EXISTS (SELECT 1
                      FROM   inserted AS i
                             INNER JOIN
                             deleted AS d
                             ON d.table_name = i.table_name
                      WHERE  i.last_id <= d.last_id)
              OR EXISTS (SELECT 1
                         FROM   inserted AS i
                         WHERE  NOT EXISTS (SELECT 1
                                            FROM   deleted AS d
                                            WHERE  d.table_name = i.table_name))
               THROW 50000, 'the head of the audit chain only moves forward', 1;
       END
