// Handoff on Azure Functions: a .NET isolated-worker app with Durable Functions (Durable Task extension, Azure Storage provider)
// on Linux Elastic Premium, with storage, identity, Key Vault and monitoring.
// Endpoints and suffixes come from environment() and the storage account itself, so the same template deploys to AzureCloud and
// AzureChinaCloud.
targetScope = 'resourceGroup'

@description('Base name for the resources: 3–11 lowercase letters or digits, starting with a letter (checked below).')
@minLength(3)
@maxLength(11) // the Key Vault name '<name>-kv-<8>' must stay within 24
param name string

@description('Azure region, e.g. chinanorth3 or eastasia.')
param location string = resourceGroup().location

@description('Environment name, e.g. prod or staging: letters and digits only (checked below). It names the Durable Functions task hub (handoff<environmentName>p16).')
@minLength(1)
@maxLength(35) // 'handoff' (7) + 35 + 'p16' (3) = 45, the task hub name limit
param environmentName string

@description('Elastic Premium plan size (see infra/README.md for why Elastic Premium, not Flex Consumption).')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param planSku string = 'EP1'

@description('.NET version of the isolated worker (linuxFxVersion DOTNET-ISOLATED|<version>); must match the project\'s TargetFramework (net10.0). See infra/README.md.')
@allowed([
  '10.0'
  '9.0'
  '8.0'
])
param dotnetVersion string = '10.0'

@description('Where operators are told when an orchestration fails or a webhook delivery is poisoned.')
param alertEmail string

@description('Microsoft Entra ID authority for bearer tokens, e.g. https://login.partner.microsoftonline.cn/{tenant}/v2.0. Empty: API keys only.')
param entraAuthority string = ''

@description('The application ID URI tokens must be issued for. Empty: API keys only.')
param entraAudience string = ''

@description('The Entra ID app registration people sign in to the pages with (OpenID Connect, code flow; redirect URI https://{app}/signin-oidc). Its client secret goes to the vault as entra-web-client-secret. Empty: no sign-in to the pages in Azure.')
param entraWebClientId string = ''

@description('The organisation directory the app loads (Handoff:DirectoryFile): a file published with the app, e.g. directory.json beside directory.sample.json in functions/Handoff.Api. The sample directory is refused outside Development.')
@minLength(1)
param directoryFile string = 'directory.json'

@description('Blob URL of the package the app runs, functionapp-<version>.zip in the deployments container (infra/deploy.sh sets it through HANDOFF_PACKAGE_URI); empty until the first deployment.')
param packageUri string = ''

@description('Telemetry only through the app\'s identity: Application Insights local auth off, Monitoring Metrics Publisher for the identity, APPLICATIONINSIGHTS_AUTHENTICATION_STRING set. See infra/README.md before relying on it in Azure China.')
param appInsightsEntraIngestion bool = true

@description('Notice channels (infra/README.md, "Notice channels"): one object per organisation and platform, { organisationId, platform: WeCom | DingTalk | Feishu | Email, kinds (optional, comma-separated notice kinds, * for all), emailTo (Email only, comma-separated addresses), mentions (optional, robots only: true when Key Vault holds the organisation\'s duty officers\' mobile numbers as channel-<org>-mentions), perMinute and perSecond (optional rate limits) }. No credentials here: robot URLs and signing secrets are Key Vault secrets channel-<org>-<platform>-url and -secret. main.bicepparam reads it from HANDOFF_CHANNELS, which deploy.sh sets.')
param channels array = []

@description('The mail server e-mail channels send through (Handoff:Smtp:Host). Empty: no Handoff:Smtp:* setting at all, and no Email channel allowed.')
param smtpHost string = ''

@description('Handoff:Smtp:Port: 587 with StartTls (submission), 465 with SslOnConnect.')
@minValue(1)
@maxValue(65535)
param smtpPort int = 587

@description('Handoff:Smtp:Security.')
@allowed([
  'StartTls'
  'SslOnConnect'
])
param smtpSecurity string = 'StartTls'

@description('Handoff:Smtp:UserName; its password is always the Key Vault secret smtp-password (deploy.sh sets it from HANDOFF_SMTP_PASSWORD_FILE). Empty: the server is used without logging in, and no password setting.')
param smtpUserName string = ''

@description('Handoff:Smtp:From: the sender address. Required when smtpHost is set.')
param smtpFrom string = ''

@description('Handoff:PublicUrl, the base of the case links in channel messages (e.g. https://handoff.example.gov.cn/); required with channels. Empty: not set.')
param publicUrl string = ''

var suffix = take(uniqueString(resourceGroup().id), 8)

// Bicep has no regular expressions, so the character rules are checked here with fail(), which ARM evaluates while it validates the
// template, before it creates anything. Every resource name derives from baseName, never from name itself. With the length bounds
// above: storage '<name><8>' is 11–19 lowercase letters and digits (3–24 allowed), Key Vault '<name>-kv-<8>' 15–23 characters starting
// with a letter (3–24), the function app '<name>-<8>' 12–20 (2–60), the identity '<name>-id', the workspace '<name>-logs' (4–63).
var lowercaseLetters = 'abcdefghijklmnopqrstuvwxyz'
var lowercaseLettersAndDigits = '${lowercaseLetters}0123456789'
var nameIsValid = contains(lowercaseLetters, substring(name, 0, 1)) && empty(filter(range(0, length(name)), i => !contains(lowercaseLettersAndDigits, substring(name, i, 1))))
var baseName = nameIsValid ? name : fail('name must be 3-11 lowercase letters and digits, starting with a letter (it is part of the storage account and Key Vault names)')
var lettersAndDigits = '${lowercaseLettersAndDigits}ABCDEFGHIJKLMNOPQRSTUVWXYZ'
var environmentNameIsValid = empty(filter(range(0, length(environmentName)), i => !contains(lettersAndDigits, substring(environmentName, i, 1))))

// The control-queue partitions of the task hub: host.json's extensions.durableTask.storageProvider.partitionCount (a test says they
// agree). The engine cannot change a hub's count, so the hub's name carries it: a new count is a new hub, into which the operator
// moves the open cases (docs/operations.md, "Moving the open cases to another task hub").
var partitionCount = 16

// Task hub names: 3–45 characters, letters and digits only, starting with a letter. The 'handoff' prefix supplies the letter and
// the length floor; environmentName's @maxLength keeps it within 45 with the 'p16' suffix; the check above keeps it to letters and digits.
var taskHubName = environmentNameIsValid ? 'handoff${environmentName}p${partitionCount}' : fail('environmentName must be letters and digits only (it names the Durable Functions task hub handoff<environmentName>p16)')

// Notice channels. An organisation id is the directory's: 1-47 lowercase letters, digits and single inner hyphens. Every setting is
// named Handoff__Channels__<organisationId>__<Platform>__…, and App Service takes app setting names of letters, digits, '.' and '_'
// only ("Configure an App Service app": a hyphen is refused on Linux, or dropped from the environment variable), so
// functionapp.bicep writes the id's hyphens as '_' there, which the app reads back as '-' (infra/README.md, "Notice channels").
// Every other rule is checked too, before anything is created.
var robotPlatforms = [
  'WeCom'
  'DingTalk'
  'Feishu'
]
var channelPlatforms = concat(robotPlatforms, ['Email'])
var channelProperties = [
  'organisationId'
  'platform'
  'kinds'
  'emailTo'
  'mentions'
  'perMinute'
  'perSecond'
]
var credentialProperties = [
  'url'
  'Url'
  'secret'
  'Secret'
  'password'
  'Password'
]
var kindCharacters = '${lettersAndDigits}-, *'
var channelFacts = map(range(0, length(channels)), i => {
  at: 'channels[${i}]'
  keys: objectKeys(channels[i])
  org: string(channels[i].?organisationId ?? '')
  platform: string(channels[i].?platform ?? '')
  kinds: string(channels[i].?kinds ?? '')
  emailTo: string(channels[i].?emailTo ?? '')
  mentions: channels[i].?mentions
  perMinute: channels[i].?perMinute
  perSecond: channels[i].?perSecond
})
var channelProblems = filter(flatten(map(channelFacts, c => [
  empty(filter(c.keys, k => contains(credentialProperties, k))) ? '' : '${c.at}: a robot URL or signing secret is a credential: it goes into Key Vault (deploy.sh, HANDOFF_CHANNELS_FILE), never into parameters'
  empty(filter(c.keys, k => !contains(concat(channelProperties, credentialProperties), k))) ? '' : '${c.at}: unknown properties ${join(filter(c.keys, k => !contains(concat(channelProperties, credentialProperties), k)), ', ')} (allowed: ${join(channelProperties, ', ')})'
  contains(channelPlatforms, c.platform) ? '' : '${c.at}: platform \'${c.platform}\' must be WeCom, DingTalk, Feishu or Email'
  length(c.org) >= 1 && length(c.org) <= 47 ? '' : '${c.at}: organisationId must be 1-47 characters'
  empty(filter(range(0, length(c.org)), j => !contains('${lowercaseLettersAndDigits}-', substring(c.org, j, 1)))) && !startsWith(c.org, '-') && !endsWith(c.org, '-') && !contains(c.org, '--') ? '' : '${c.at}: organisationId \'${c.org}\' must be lowercase letters, digits and single inner hyphens (no hyphen first or last, no two together)'
  c.platform != 'Email' || (contains(c.emailTo, '@') && !contains(c.emailTo, ';')) ? '' : '${c.at}: an Email channel needs emailTo, comma-separated addresses'
  c.platform != 'Email' || !empty(smtpHost) ? '' : '${c.at}: an Email channel needs smtpHost'
  c.platform == 'Email' || !contains(c.keys, 'emailTo') ? '' : '${c.at}: emailTo is for Email channels only'
  !contains(c.keys, 'mentions') || (contains(robotPlatforms, c.platform) && contains([true, false], c.mentions)) ? '' : '${c.at}: mentions is true or false, on a robot channel only (the mobile numbers themselves go into Key Vault as channel-${c.org}-mentions)'
  !contains(c.keys, 'kinds') || (!empty(trim(c.kinds)) && empty(filter(range(0, length(c.kinds)), j => !contains(kindCharacters, substring(c.kinds, j, 1))))) ? '' : '${c.at}: kinds is comma-separated notice kinds, e.g. escalation,escalation-resolved'
  !contains(c.keys, 'perMinute') || contains(range(1, 1000), c.perMinute) ? '' : '${c.at}: perMinute is a whole number from 1 to 1000'
  !contains(c.keys, 'perSecond') || contains(range(0, 101), c.perSecond) ? '' : '${c.at}: perSecond is a whole number from 0 (no limit) to 100'
  length(filter(channelFacts, d => d.org == c.org && d.platform == c.platform)) == 1 ? '' : '${c.at}: ${c.org} has more than one ${c.platform} channel'
])), p => !empty(p))
// The app refuses to start with channels and no Handoff:PublicUrl (its messages link to the case pages), or with one that is not https.
var publicUrlProblems = filter([
  empty(channels) || !empty(publicUrl) ? '' : 'publicUrl is required with channels: the messages link to the case pages (e.g. https://handoff.example.gov.cn/)'
  empty(publicUrl) || (startsWith(publicUrl, 'https://') && length(publicUrl) > 8) ? '' : 'publicUrl must be an absolute https address'
], p => !empty(p))
var checkedChannels = empty(concat(channelProblems, publicUrlProblems)) ? channels : fail(join(concat(channelProblems, publicUrlProblems), '; '))

var smtpProblems = filter([
  empty(smtpHost) || (!contains(smtpHost, '://') && !contains(smtpHost, ' ') && !contains(smtpHost, ':')) ? '' : 'smtpHost is a host name only, e.g. smtp.example.gov.cn (the port is smtpPort)'
  empty(smtpHost) || (contains(smtpFrom, '@') && !contains(smtpFrom, ',')) ? '' : 'smtpFrom must be one address when smtpHost is set'
  !empty(smtpHost) || (empty(smtpUserName) && empty(smtpFrom)) ? '' : 'smtpUserName and smtpFrom need smtpHost'
], p => !empty(p))
var checkedSmtpHost = empty(smtpProblems) ? smtpHost : fail(join(smtpProblems, '; '))

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${baseName}-id'
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: '${baseName}${suffix}'
    location: location
    principalId: identity.outputs.principalId
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'vault'
  params: {
    name: '${baseName}-kv-${suffix}'
    location: location
    principalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: baseName
    location: location
    alertEmail: alertEmail
    principalId: identity.outputs.principalId
    entraIngestionOnly: appInsightsEntraIngestion
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: '${baseName}-${suffix}'
    location: location
    planSku: planSku
    dotnetVersion: dotnetVersion
    taskHubName: taskHubName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    vaultName: vault.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    appInsightsEntraIngestion: appInsightsEntraIngestion
    entraAuthority: entraAuthority
    entraAudience: entraAudience
    entraWebClientId: entraWebClientId
    packageUri: packageUri
    directoryFile: directoryFile
    channels: checkedChannels
    smtpHost: checkedSmtpHost
    smtpPort: smtpPort
    smtpSecurity: smtpSecurity
    smtpUserName: smtpUserName
    smtpFrom: smtpFrom
    publicUrl: publicUrl
  }
}

// infra/deploy.sh reads these.
output functionAppName string = app.outputs.name
output functionAppId string = app.outputs.id
output functionAppHost string = app.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
@description('Where deploy.sh uploads functionapp-<version>.zip: the account\'s own blob endpoint, so it is right in every cloud.')
output packageContainerUri string = '${storage.outputs.blobEndpoint}${storage.outputs.packageContainerName}'
@description('The package the app runs after this deployment; deploy.sh passes it again so a plain infrastructure run keeps it.')
output packageUri string = packageUri
output keyVaultName string = vault.outputs.name
output logAnalyticsWorkspaceId string = monitoring.outputs.workspaceCustomerId
output taskHubName string = taskHubName
@description('The notice channels this deployment configured (no credentials); deploy.sh passes them again when it is not given HANDOFF_CHANNELS_FILE, so a deployment keeps them.')
output channels array = checkedChannels
@description('Every Key Vault secret the app settings refer to; deploy.sh checks that each exists.')
output keyVaultSecrets array = app.outputs.keyVaultSecrets
