SELECT client_id AS ClientId,
       operations AS Operations,
       fields AS Fields,
       regions AS Regions,
       purposes AS Purposes,
       requests_per_minute AS RequestsPerMinute,
       daily_quota AS DailyQuota,
       may_tell_not_found AS MayTellNotFound,
       status AS Status,
       version AS Version,
       updated_at AS UpdatedAt,
       updated_by AS UpdatedBy
FROM   grants WITH (UPDLOCK, ROWLOCK)
WHERE  client_id = @clientId;
