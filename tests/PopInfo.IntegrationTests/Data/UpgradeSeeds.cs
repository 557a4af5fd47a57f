namespace PopInfo.IntegrationTests.Data;

/// <summary>
/// Representative rows the upgrade test writes into a few key tables of each service's baseline database, and must find
/// again after the upgrade. Literals only, written so that both PostgreSQL and SQLite take them (a uuid, a date, a time
/// and JSON as quoted text).
/// </summary>
public static class UpgradeSeeds
{
    private const string At = "'2026-12-07 00:00:00+00:00'";

    /// <summary>Service name → its rows: the INSERT, and a count that is 1 while the row is there.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<Seed>> ByService = new Dictionary<string, IReadOnlyList<Seed>>
    {
        ["analytics"] =
        [
            new("INSERT INTO applied_sequences (sequence, recorded_at) VALUES (4242, " + At + ")",
                "SELECT COUNT(*) FROM applied_sequences WHERE sequence = 4242"),
            new("INSERT INTO person_versions (person_id, version, change_type, occurred_at, recorded_at, status, sex, birth_date, residence_type, ethnicity) " +
                "VALUES ('6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a01', 1, 'birth', " + At + ", " + At + ", 'active', '1', '1990-01-01', 'local', '01')",
                "SELECT COUNT(*) FROM person_versions WHERE person_id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a01' AND version = 1"),
        ],
        ["collection"] =
        [
            new("INSERT INTO accounts (user_name, display_name, role, password_hash, created_at, updated_at) " +
                "VALUES ('upgrade-clerk', 'Upgrade Clerk', 'clerk', 'hash', " + At + ", " + At + ")",
                "SELECT COUNT(*) FROM accounts WHERE user_name = 'upgrade-clerk'"),
            new("INSERT INTO form_events (form_id, at, actor, event) VALUES ('6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a02', " + At + ", 'upgrade-clerk', 'created')",
                "SELECT COUNT(*) FROM form_events WHERE form_id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a02'"),
            // A form still waiting on its command, whose submission is unsent: it moves into the registry-command outbox
            // (V7) as a version-1 message, unsent and unanswered …
            new("INSERT INTO forms (id, community_code, street_code, day, late, form_type, state, revision, data, command_id, created_by, created_at, updated_by, updated_at) " +
                "VALUES ('6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a05', '320205001001', '320205001', '2026-12-07', false, 'birth', 'submitted', 2, '{}', " +
                "'6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a06', 'upgrade-clerk', " + At + ", 'upgrade-clerk', " + At + ")",
                "SELECT COUNT(*) FROM forms WHERE command_id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a06' AND state = 'submitted'"),
            new("INSERT INTO submissions (command_id, form_id, message, created_at) " +
                "VALUES ('6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a06', '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a05', '{\"commandType\":\"register-birth\",\"body\":{}}', " + At + ")",
                "SELECT COUNT(*) FROM submissions WHERE command_id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a06'",
                "SELECT COUNT(*) FROM registry_command_outbox WHERE command_id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a06' " +
                "AND command_type = 'apply-registry-command' AND sent_at IS NULL AND sends = 0 AND message LIKE '%register-birth%'"),
            // … and a sent submission no form waits on (answered before the upgrade) moves in settled (V7), and settled
            // commands leave the outbox (V8).
            new("INSERT INTO submissions (command_id, form_id, message, created_at, sent_at) " +
                "VALUES ('6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a07', '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a08', '{}', " + At + ", " + At + ")",
                "SELECT COUNT(*) FROM submissions WHERE command_id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a07'",
                "SELECT COUNT(*) + 1 FROM registry_command_outbox WHERE command_id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a07'"),
        ],
        ["exchange"] =
        [
            new("INSERT INTO departments (code, name, contact, status, inbound_kinds, api_key_hash, version, created_at, updated_at) " +
                "VALUES ('UPGRADE', 'Upgrade department', 'contact', 'active', '[]', 'hash', 1, " + At + ", " + At + ")",
                "SELECT COUNT(*) FROM departments WHERE code = 'UPGRADE' AND last_sequence = 0"),
            // A record queued for the registry moves into the registry-command outbox (V8) as a version-1 message; one
            // already answered does not.
            new("INSERT INTO inbound_records (id, department_code, record_id, kind, channel, state, command_type, command, received_at) " +
                "VALUES ('6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a09', 'UPGRADE', 'R-1', 'death', 'http', 'queued', 'register-death', '{\"body\":{}}', " + At + ")",
                "SELECT COUNT(*) FROM inbound_records WHERE id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a09'",
                "SELECT COUNT(*) FROM registry_command_outbox WHERE command_id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a09' " +
                "AND command_type = 'apply-registry-command' AND sent_at IS NULL"),
            new("INSERT INTO inbound_records (id, department_code, record_id, kind, channel, state, command_type, command, received_at, sent_at, answered_at) " +
                "VALUES ('6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a0a', 'UPGRADE', 'R-2', 'death', 'http', 'applied', 'register-death', '{\"body\":{}}', " + At + ", " + At + ", " + At + ")",
                "SELECT COUNT(*) FROM inbound_records WHERE id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a0a'",
                "SELECT COUNT(*) + 1 FROM registry_command_outbox WHERE command_id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a0a'"),
        ],
        ["identity"] =
        [
            new("INSERT INTO accounts (user_name, display_name, role, password_hash, security_stamp, version, created_at, updated_at) " +
                "VALUES ('upgrade-admin', 'Upgrade Admin', 'admin', 'hash', 'stamp', 1, " + At + ", " + At + ")",
                "SELECT COUNT(*) FROM accounts WHERE user_name = 'upgrade-admin'"),
            new("INSERT INTO clients (client_id, kind, display_name, status, scopes, version, created_at, updated_at) " +
                "VALUES ('upgrade-client', 'service', 'Upgrade client', 'active', 'registry.read', 1, " + At + ", " + At + ")",
                "SELECT COUNT(*) FROM clients WHERE client_id = 'upgrade-client'"),
        ],
        ["monitoring"] =
        [
            new("INSERT INTO samples (metric, subject, taken_at, value) VALUES ('service.ready', 'upgrade', " + At + ", 1)",
                "SELECT COUNT(*) FROM samples WHERE subject = 'upgrade'"),
        ],
        ["registry"] =
        [
            new("INSERT INTO regions (code, level, name) VALUES ('320299999999', 4, 'Upgrade community')",
                "SELECT COUNT(*) FROM regions WHERE code = '320299999999'"),
            new("INSERT INTO persons (id, id_number, version, name, sex, birth_date, residence_type, status, change_type, record, occurred_at, recorded_at) " +
                "VALUES ('6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a03', '320202199001010011', 1, 'Upgrade Person', '1', '1990-01-01', 'local', 'active', 'birth', '{}', " + At + ", " + At + ")",
                "SELECT COUNT(*) FROM persons WHERE id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a03'"),
        ],
        ["sharing"] =
        [
            new("INSERT INTO people (person_id, version, id_number, name, name_key, birth_date, sex, status, record) " +
                "VALUES ('6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a04', 1, '320202199001010011', 'Upgrade Person', 'upgradeperson', '1990-01-01', '1', 'active', '{}')",
                "SELECT COUNT(*) FROM people WHERE person_id = '6f1c2a52-0d2e-4c55-9a51-3f0f0e0c0a04'"),
        ],
    };

    /// <summary>One row: how it is written, a count that is 1 while it is there, and one where the upgrade moved it, if it did.</summary>
    public sealed record Seed(string Insert, string Count, string? CountAfterUpgrade = null);
}
