ALTER TABLE projection_state
    ADD rebuild_requested_at DATETIMEOFFSET NULL;
