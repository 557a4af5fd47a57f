UPDATE persons
SET    id_number              = @IdNumber,
       version                = @Version,
       name                   = @Name,
       sex                    = @Sex,
       birth_date             = @BirthDate,
       residence_type         = @ResidenceType,
       status                 = @Status,
       residence_region_code  = @ResidenceRegionCode,
       registered_region_code = @RegisteredRegionCode,
       household_id           = @HouseholdId,
       change_type            = @ChangeType,
       record                 = @Record,
       occurred_at            = @OccurredAt,
       recorded_at            = @RecordedAt
WHERE  id = @Id
       AND version = @ExpectedVersion;

INSERT  INTO person_history (person_id, version, change_type, record, occurred_at, recorded_at, superseded_at)
VALUES                      (@Id, @ExpectedVersion, @PreviousChangeType, @PreviousRecord, @PreviousOccurredAt, @PreviousRecordedAt, @RecordedAt);
