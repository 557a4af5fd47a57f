-- SQL Server's translation of PostgreSql/V1__identity.sql (docs/adr/0009-sql-server.md): text is nvarchar (sized where it is a key or
-- indexed), COLLATE "C" a binary collation, timestamptz datetimeoffset, boolean bit, serials IDENTITY; GO ends a batch.
-- The identity provider: people's accounts, the platform's clients, signing keys, the audit trail,
-- and OpenIddict's store (its EF Core model, kept in step by OpenIddictSqlServerSchemaTests).

CREATE TABLE accounts (
    user_name        nvarchar(200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    display_name     nvarchar(max) NOT NULL,
    role             nvarchar(max) NOT NULL,
    region_code      nvarchar(max) NULL,
    password_hash    nvarchar(max) NOT NULL,
    failed_sign_ins  int NOT NULL DEFAULT 0,
    locked_until     datetimeoffset NULL,
    disabled         bit NOT NULL DEFAULT 0,
    -- Changes on every change of password, role, scope or status: sessions and refresh tokens made before stop.
    security_stamp   nvarchar(max) NOT NULL,
    version          int NOT NULL,
    created_at       datetimeoffset NOT NULL,
    updated_at       datetimeoffset NOT NULL
);

-- The platform's view of each OAuth client (OpenIddict holds the secret's hash and permissions).
CREATE TABLE clients (
    client_id        nvarchar(200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    kind             nvarchar(max) NOT NULL,            -- service | department
    display_name     nvarchar(max) NOT NULL,
    status           nvarchar(max) NOT NULL,            -- active | suspended
    scopes           nvarchar(max) NOT NULL,            -- space-separated, as granted
    version          int NOT NULL,
    created_at       datetimeoffset NOT NULL,
    updated_at       datetimeoffset NOT NULL
);

CREATE TABLE signing_keys (
    key_id           nvarchar(200) PRIMARY KEY,
    [use]            nvarchar(200) NOT NULL,            -- sig | enc
    key_material     nvarchar(max) NOT NULL,
    created_at       datetimeoffset NOT NULL
);

CREATE TABLE audit_log (
    id               bigint IDENTITY(1,1) PRIMARY KEY,
    at               datetimeoffset NOT NULL,
    actor            nvarchar(max) NOT NULL,
    actor_role       nvarchar(max) NULL,
    action           nvarchar(max) NOT NULL,
    target           nvarchar(max) NULL,
    outcome          nvarchar(max) NOT NULL,
    detail           nvarchar(max) NULL,
    remote_address   nvarchar(max) NULL
);

-- OpenIddict's store: EF Core's create script for IdentityDbContext as the SQL Server provider writes it (string keys
-- nvarchar(450), times datetime2, unique indexes on nullable columns filtered to the non-null rows).
CREATE TABLE [OpenIddictApplications] (
    [Id] nvarchar(450) NOT NULL,
    [ApplicationType] nvarchar(50) NULL,
    [ClientId] nvarchar(100) NULL,
    [ClientSecret] nvarchar(max) NULL,
    [ClientType] nvarchar(50) NULL,
    [ConcurrencyToken] nvarchar(50) NULL,
    [ConsentType] nvarchar(50) NULL,
    [DisplayName] nvarchar(max) NULL,
    [DisplayNames] nvarchar(max) NULL,
    [JsonWebKeySet] nvarchar(max) NULL,
    [Permissions] nvarchar(max) NULL,
    [PostLogoutRedirectUris] nvarchar(max) NULL,
    [Properties] nvarchar(max) NULL,
    [RedirectUris] nvarchar(max) NULL,
    [Requirements] nvarchar(max) NULL,
    [Settings] nvarchar(max) NULL,
    CONSTRAINT [PK_OpenIddictApplications] PRIMARY KEY ([Id])
);

CREATE TABLE [OpenIddictScopes] (
    [Id] nvarchar(450) NOT NULL,
    [ConcurrencyToken] nvarchar(50) NULL,
    [Description] nvarchar(max) NULL,
    [Descriptions] nvarchar(max) NULL,
    [DisplayName] nvarchar(max) NULL,
    [DisplayNames] nvarchar(max) NULL,
    [Name] nvarchar(200) NULL,
    [Properties] nvarchar(max) NULL,
    [Resources] nvarchar(max) NULL,
    CONSTRAINT [PK_OpenIddictScopes] PRIMARY KEY ([Id])
);

CREATE TABLE [OpenIddictAuthorizations] (
    [Id] nvarchar(450) NOT NULL,
    [ApplicationId] nvarchar(450) NULL,
    [ConcurrencyToken] nvarchar(50) NULL,
    [CreationDate] datetime2 NULL,
    [Properties] nvarchar(max) NULL,
    [Scopes] nvarchar(max) NULL,
    [Status] nvarchar(50) NULL,
    [Subject] nvarchar(400) NULL,
    [Type] nvarchar(50) NULL,
    CONSTRAINT [PK_OpenIddictAuthorizations] PRIMARY KEY ([Id]),
    CONSTRAINT [FK_OpenIddictAuthorizations_OpenIddictApplications_ApplicationId] FOREIGN KEY ([ApplicationId]) REFERENCES [OpenIddictApplications] ([Id])
);

CREATE TABLE [OpenIddictTokens] (
    [Id] nvarchar(450) NOT NULL,
    [ApplicationId] nvarchar(450) NULL,
    [AuthorizationId] nvarchar(450) NULL,
    [ConcurrencyToken] nvarchar(50) NULL,
    [CreationDate] datetime2 NULL,
    [ExpirationDate] datetime2 NULL,
    [Payload] nvarchar(max) NULL,
    [Properties] nvarchar(max) NULL,
    [RedemptionDate] datetime2 NULL,
    [ReferenceId] nvarchar(100) NULL,
    [Status] nvarchar(50) NULL,
    [Subject] nvarchar(400) NULL,
    [Type] nvarchar(150) NULL,
    CONSTRAINT [PK_OpenIddictTokens] PRIMARY KEY ([Id]),
    CONSTRAINT [FK_OpenIddictTokens_OpenIddictApplications_ApplicationId] FOREIGN KEY ([ApplicationId]) REFERENCES [OpenIddictApplications] ([Id]),
    CONSTRAINT [FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId] FOREIGN KEY ([AuthorizationId]) REFERENCES [OpenIddictAuthorizations] ([Id])
);

CREATE UNIQUE INDEX [IX_OpenIddictApplications_ClientId] ON [OpenIddictApplications] ([ClientId]) WHERE [ClientId] IS NOT NULL;

CREATE INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type] ON [OpenIddictAuthorizations] ([ApplicationId], [Status], [Subject], [Type]);

CREATE UNIQUE INDEX [IX_OpenIddictScopes_Name] ON [OpenIddictScopes] ([Name]) WHERE [Name] IS NOT NULL;

CREATE INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type] ON [OpenIddictTokens] ([ApplicationId], [Status], [Subject], [Type]);

CREATE INDEX [IX_OpenIddictTokens_AuthorizationId] ON [OpenIddictTokens] ([AuthorizationId]);

CREATE UNIQUE INDEX [IX_OpenIddictTokens_ReferenceId] ON [OpenIddictTokens] ([ReferenceId]) WHERE [ReferenceId] IS NOT NULL;
