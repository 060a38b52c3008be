// The function app: Linux, .NET isolated worker with Durable Functions (Durable Task extension, Azure Storage provider), on an
// Elastic Premium plan, running as the user-assigned identity. See infra/README.md for the plan and .NET version choice.
param name string
param location string
param planSku string
@description('The .NET version of the isolated worker: linuxFxVersion DOTNET-ISOLATED|<version>.')
param dotnetVersion string
@description('The Durable Functions task hub name (3–45 letters and digits, starting with a letter); host.json reads it as %HandoffTaskHub%.')
@minLength(3)
@maxLength(45)
param taskHubName string
param identityId string
param identityClientId string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string
param vaultName string
param appInsightsConnectionString string
@description('Send telemetry authenticated as the identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING).')
param appInsightsEntraIngestion bool
param entraAuthority string
param entraAudience string
param entraWebClientId string
param packageUri string
param directoryFile string
@description('Notice channels, checked by main.bicep: { organisationId (lowercase letters, digits and single inner hyphens), platform, kinds?, emailTo? (Email), mentions? (robots), perMinute?, perSecond? }.')
param channels array
@description('Empty: no Handoff:Smtp:* setting.')
param smtpHost string
param smtpPort int
param smtpSecurity string
param smtpUserName string
param smtpFrom string
param publicUrl string

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: '${name}-plan'
  location: location
  kind: 'elastic'
  sku: {
    name: planSku
    tier: 'ElasticPremium'
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: 20
  }
}

// Notice channels: Handoff:Channels:{org}:{Platform}:… and Handoff:Smtp:*. Every credential is a Key Vault reference to a secret
// named after the organisation and platform (deploy.sh writes them from HANDOFF_CHANNELS_FILE and HANDOFF_SMTP_PASSWORD_FILE):
//   channel-<org>-wecom-url, channel-<org>-dingtalk-url, channel-<org>-dingtalk-secret, channel-<org>-feishu-url,
//   channel-<org>-feishu-secret, channel-<org>-mentions, smtp-password.
// A robot's whole URL is a secret (企业微信's key, 钉钉's access_token, 飞书's hook id are in it); 钉钉 and 飞书 robots must sign
// (加签), so their secret is always referred to. The duty officers' mobile numbers (Mentions) are personal data: Key Vault too.
// A reference to a secret that does not exist resolves to the reference text itself, so nothing refers to one that may be absent.
// Every channel setting starts with its organisation's prefix, made in this one place. App Service takes app setting names of
// letters, digits, '.' and '_' only, so the organisation id's hyphens are written as '_' there (meizhou-centre:
// Handoff__Channels__meizhou_centre__…), which the app reads back as '-' (organisation ids never hold '_'). The secret names keep
// the hyphen (channel-meizhou-centre-wecom-url): Key Vault takes it.
var channelRows = map(channels, c => union(c, {
  prefix: 'Handoff__Channels__${replace(c.organisationId, '-', '_')}'
}))
var channelSecrets = flatten(map(channelRows, c => concat(
  c.platform == 'Email' ? [] : [
    {
      setting: '${c.prefix}__${c.platform}__Url'
      secret: 'channel-${c.organisationId}-${toLower(c.platform)}-url'
    }
  ],
  contains(['DingTalk', 'Feishu'], c.platform) ? [
    {
      setting: '${c.prefix}__${c.platform}__Secret'
      secret: 'channel-${c.organisationId}-${toLower(c.platform)}-secret'
    }
  ] : []
)))
// Mentions are per organisation: set when any of its robot channels says mentions: true.
var mentionSecrets = union(map(filter(channelRows, c => c.?mentions == true), c => {
  setting: '${c.prefix}__Mentions'
  secret: 'channel-${c.organisationId}-mentions'
}), [])
var smtpSecrets = empty(smtpHost) || empty(smtpUserName) ? [] : [
  {
    setting: 'Handoff__Smtp__Password'
    secret: 'smtp-password'
  }
]
var vaultSettings = map(concat(channelSecrets, mentionSecrets, smtpSecrets), s => {
  name: s.setting
  value: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${s.secret})'
})
var channelSettings = flatten(map(channelRows, c => concat(
  c.platform == 'Email' ? [
    {
      name: '${c.prefix}__Email__To'
      value: c.emailTo
    }
  ] : [],
  empty(c.?kinds ?? '') ? [] : [
    {
      name: '${c.prefix}__${c.platform}__Kinds'
      value: c.kinds
    }
  ],
  c.?perMinute == null ? [] : [
    {
      name: '${c.prefix}__${c.platform}__PerMinute'
      value: string(c.perMinute)
    }
  ],
  c.?perSecond == null ? [] : [
    {
      name: '${c.prefix}__${c.platform}__PerSecond'
      value: string(c.perSecond)
    }
  ]
)))
var smtpSettings = empty(smtpHost) ? [] : concat([
  {
    name: 'Handoff__Smtp__Host'
    value: smtpHost
  }
  {
    name: 'Handoff__Smtp__Port'
    value: string(smtpPort)
  }
  {
    name: 'Handoff__Smtp__Security'
    value: smtpSecurity
  }
  {
    name: 'Handoff__Smtp__From'
    value: smtpFrom
  }
], empty(smtpUserName) ? [] : [
  {
    name: 'Handoff__Smtp__UserName'
    value: smtpUserName
  }
])
var publicUrlSettings = empty(publicUrl) ? [] : [
  {
    name: 'Handoff__PublicUrl'
    value: publicUrl
  }
]

var settings = [
  {
    name: 'FUNCTIONS_EXTENSION_VERSION'
    value: '~4'
  }
  {
    name: 'FUNCTIONS_WORKER_RUNTIME'
    value: 'dotnet-isolated'
  }
  {
    name: 'ASPNETCORE_ENVIRONMENT'
    value: 'Production'
  }
  // Identity-based host storage, also used by the Durable extension (its default connection is AzureWebJobsStorage) and by the
  // queue trigger. Service URIs rather than __accountName, which is documented as not working in sovereign clouds (Azure China).
  {
    name: 'AzureWebJobsStorage__blobServiceUri'
    value: blobEndpoint
  }
  {
    name: 'AzureWebJobsStorage__queueServiceUri'
    value: queueEndpoint
  }
  {
    name: 'AzureWebJobsStorage__tableServiceUri'
    value: tableEndpoint
  }
  {
    name: 'AzureWebJobsStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'AzureWebJobsStorage__clientId'
    value: identityClientId
  }
  // One task hub per environment, so two environments sharing an account never steal each other's partitions.
  {
    name: 'HandoffTaskHub'
    value: taskHubName
  }
  // Only used by our own code when it builds endpoints from an account name; with the service URIs above it is not needed.
  {
    name: 'Handoff__Storage__EndpointSuffix'
    value: environment().suffixes.storage
  }
  {
    name: 'Handoff__Auth__UseDevKeys'
    value: 'false'
  }
  {
    name: 'Handoff__DirectoryFile'
    value: directoryFile
  }
  {
    name: 'Handoff__Secrets__IdNumberKey'
    value: '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=id-number-key)'
  }
  {
    name: 'Handoff__Auth__Entra__Authority'
    value: entraAuthority
  }
  {
    name: 'Handoff__Auth__Entra__Audience'
    value: entraAudience
  }
  // People sign in to the pages through the same tenant (OpenID Connect); the session key ring lives in the blob container
  // handoff-keys, which the identity's Storage Blob Data Owner role covers.
  {
    name: 'Handoff__Auth__Entra__WebClientId'
    value: entraWebClientId
  }
  {
    name: 'Handoff__Auth__Entra__WebClientSecret'
    value: empty(entraWebClientId) ? '' : '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=entra-web-client-secret)'
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsightsConnectionString
  }
  // The host authenticates its telemetry as the user-assigned identity (Monitoring Metrics Publisher on the component). Empty when
  // Entra ingestion is off: the host ignores an empty value (ScriptHostBuilderExtensions.ConfigureApplicationInsights checks
  // string.IsNullOrEmpty), so the instrumentation key in the connection string is used alone.
  {
    name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
    value: appInsightsEntraIngestion ? 'Authorization=AAD;ClientId=${identityClientId}' : ''
  }
  {
    name: 'WEBSITE_RUN_FROM_PACKAGE'
    value: empty(packageUri) ? '1' : packageUri
  }
  {
    name: 'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID'
    value: identityId
  }
]

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'DOTNET-ISOLATED|${dotnetVersion}'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Elastic Premium keeps at least one instance warm, so the Durable extension's control-queue listeners always run.
      minimumElasticInstanceCount: 1
      appSettings: concat(settings, publicUrlSettings, channelSettings, smtpSettings, vaultSettings)
    }
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
@description('The Key Vault secrets the settings refer to: each must exist, or its setting holds the reference text itself.')
output keyVaultSecrets array = concat(['id-number-key'], empty(entraWebClientId) ? [] : ['entra-web-client-secret'], map(concat(channelSecrets, mentionSecrets, smtpSecrets), s => s.secret))
