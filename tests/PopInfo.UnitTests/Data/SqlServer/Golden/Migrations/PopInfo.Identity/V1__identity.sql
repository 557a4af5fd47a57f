CREATE TABLE accounts (
    user_name       NVARCHAR (200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    display_name    NVARCHAR (MAX) NOT NULL,
    role            NVARCHAR (MAX) NOT NULL,
    region_code     NVARCHAR (MAX) NULL,
    password_hash   NVARCHAR (MAX) NOT NULL,
    failed_sign_ins INT            DEFAULT 0 NOT NULL,
    locked_until    DATETIMEOFFSET NULL,
    disabled        BIT            DEFAULT 0 NOT NULL,
    security_stamp  NVARCHAR (MAX) NOT NULL,
    version         INT            NOT NULL,
    created_at      DATETIMEOFFSET NOT NULL,
    updated_at      DATETIMEOFFSET NOT NULL
);

CREATE TABLE clients (
    client_id    NVARCHAR (200) COLLATE Latin1_General_100_BIN2 PRIMARY KEY,
    kind         NVARCHAR (MAX) NOT NULL,
    display_name NVARCHAR (MAX) NOT NULL,
    status       NVARCHAR (MAX) NOT NULL,
    scopes       NVARCHAR (MAX) NOT NULL,
    version      INT            NOT NULL,
    created_at   DATETIMEOFFSET NOT NULL,
    updated_at   DATETIMEOFFSET NOT NULL
);

CREATE TABLE signing_keys (
    key_id       NVARCHAR (200) PRIMARY KEY,
    [use]        NVARCHAR (200) NOT NULL,
    key_material NVARCHAR (MAX) NOT NULL,
    created_at   DATETIMEOFFSET NOT NULL
);

CREATE TABLE audit_log (
    id             BIGINT         IDENTITY (1, 1) PRIMARY KEY,
    at             DATETIMEOFFSET NOT NULL,
    actor          NVARCHAR (MAX) NOT NULL,
    actor_role     NVARCHAR (MAX) NULL,
    action         NVARCHAR (MAX) NOT NULL,
    target         NVARCHAR (MAX) NULL,
    outcome        NVARCHAR (MAX) NOT NULL,
    detail         NVARCHAR (MAX) NULL,
    remote_address NVARCHAR (MAX) NULL
);

CREATE TABLE [OpenIddictApplications] (
    [Id]                     NVARCHAR (450) NOT NULL,
    [ApplicationType]        NVARCHAR (50)  NULL,
    [ClientId]               NVARCHAR (100) NULL,
    [ClientSecret]           NVARCHAR (MAX) NULL,
    [ClientType]             NVARCHAR (50)  NULL,
    [ConcurrencyToken]       NVARCHAR (50)  NULL,
    [ConsentType]            NVARCHAR (50)  NULL,
    [DisplayName]            NVARCHAR (MAX) NULL,
    [DisplayNames]           NVARCHAR (MAX) NULL,
    [JsonWebKeySet]          NVARCHAR (MAX) NULL,
    [Permissions]            NVARCHAR (MAX) NULL,
    [PostLogoutRedirectUris] NVARCHAR (MAX) NULL,
    [Properties]             NVARCHAR (MAX) NULL,
    [RedirectUris]           NVARCHAR (MAX) NULL,
    [Requirements]           NVARCHAR (MAX) NULL,
    [Settings]               NVARCHAR (MAX) NULL,
    CONSTRAINT [PK_OpenIddictApplications] PRIMARY KEY ([Id])
);

CREATE TABLE [OpenIddictScopes] (
    [Id]               NVARCHAR (450) NOT NULL,
    [ConcurrencyToken] NVARCHAR (50)  NULL,
    [Description]      NVARCHAR (MAX) NULL,
    [Descriptions]     NVARCHAR (MAX) NULL,
    [DisplayName]      NVARCHAR (MAX) NULL,
    [DisplayNames]     NVARCHAR (MAX) NULL,
    [Name]             NVARCHAR (200) NULL,
    [Properties]       NVARCHAR (MAX) NULL,
    [Resources]        NVARCHAR (MAX) NULL,
    CONSTRAINT [PK_OpenIddictScopes] PRIMARY KEY ([Id])
);

CREATE TABLE [OpenIddictAuthorizations] (
    [Id]               NVARCHAR (450) NOT NULL,
    [ApplicationId]    NVARCHAR (450) NULL,
    [ConcurrencyToken] NVARCHAR (50)  NULL,
    [CreationDate]     DATETIME2      NULL,
    [Properties]       NVARCHAR (MAX) NULL,
    [Scopes]           NVARCHAR (MAX) NULL,
    [Status]           NVARCHAR (50)  NULL,
    [Subject]          NVARCHAR (400) NULL,
    [Type]             NVARCHAR (50)  NULL,
    CONSTRAINT [PK_OpenIddictAuthorizations] PRIMARY KEY ([Id]),
    CONSTRAINT [FK_OpenIddictAuthorizations_OpenIddictApplications_ApplicationId] FOREIGN KEY ([ApplicationId]) REFERENCES [OpenIddictApplications] ([Id])
);

CREATE TABLE [OpenIddictTokens] (
    [Id]               NVARCHAR (450) NOT NULL,
    [ApplicationId]    NVARCHAR (450) NULL,
    [AuthorizationId]  NVARCHAR (450) NULL,
    [ConcurrencyToken] NVARCHAR (50)  NULL,
    [CreationDate]     DATETIME2      NULL,
    [ExpirationDate]   DATETIME2      NULL,
    [Payload]          NVARCHAR (MAX) NULL,
    [Properties]       NVARCHAR (MAX) NULL,
    [RedemptionDate]   DATETIME2      NULL,
    [ReferenceId]      NVARCHAR (100) NULL,
    [Status]           NVARCHAR (50)  NULL,
    [Subject]          NVARCHAR (400) NULL,
    [Type]             NVARCHAR (150) NULL,
    CONSTRAINT [PK_OpenIddictTokens] PRIMARY KEY ([Id]),
    CONSTRAINT [FK_OpenIddictTokens_OpenIddictApplications_ApplicationId] FOREIGN KEY ([ApplicationId]) REFERENCES [OpenIddictApplications] ([Id]),
    CONSTRAINT [FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId] FOREIGN KEY ([AuthorizationId]) REFERENCES [OpenIddictAuthorizations] ([Id])
);

CREATE UNIQUE INDEX [IX_OpenIddictApplications_ClientId]
    ON [OpenIddictApplications]([ClientId]) WHERE [ClientId] IS NOT NULL;

CREATE INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type]
    ON [OpenIddictAuthorizations]([ApplicationId], [Status], [Subject], [Type]);

CREATE UNIQUE INDEX [IX_OpenIddictScopes_Name]
    ON [OpenIddictScopes]([Name]) WHERE [Name] IS NOT NULL;

CREATE INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type]
    ON [OpenIddictTokens]([ApplicationId], [Status], [Subject], [Type]);

CREATE INDEX [IX_OpenIddictTokens_AuthorizationId]
    ON [OpenIddictTokens]([AuthorizationId]);

CREATE UNIQUE INDEX [IX_OpenIddictTokens_ReferenceId]
    ON [OpenIddictTokens]([ReferenceId]) WHERE [ReferenceId] IS NOT NULL;
