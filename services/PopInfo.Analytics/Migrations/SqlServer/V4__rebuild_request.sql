-- A rebuild asked of any instance (docs/architecture.md, "Several instances: single-active loops"): the request is kept
-- here, so that the instance leading the projection follower does it at its next turn; the rebuild's reset clears it.
ALTER TABLE projection_state ADD rebuild_requested_at datetimeoffset NULL;
