UPDATE forms
SET    state              = @state,
       answered_at        = @at,
       sent_at            = COALESCE (sent_at, @at),
       registry_person_id = @PersonId,
       registry_version   = @Version,
       registry_sequence  = @Sequence,
       registry_event_id  = @EventId,
       rejection          = @rejection,
       revision           = revision + 1,
       updated_by         = 'registry',
       updated_at         = @at
OUTPUT inserted.id
WHERE  command_id = @CommandId
       AND state = 'submitted';
