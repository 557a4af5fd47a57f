ALTER TABLE accounts
    ADD moved_at DATETIMEOFFSET;
