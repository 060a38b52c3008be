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

@description('Environment name, e.g. prod or staging: letters and digits only (checked below). It names the Durable Functions task hub (handoff<environmentName>).')
@minLength(1)
@maxLength(38) // 'handoff' (7) + 38 = 45, the task hub name limit
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

// Task hub names: 3–45 characters, letters and digits only, starting with a letter. The 'handoff' prefix supplies the letter and
// the length floor; environmentName's @maxLength keeps it within 45; the check above keeps it to letters and digits.
var taskHubName = environmentNameIsValid ? 'handoff${environmentName}' : fail('environmentName must be letters and digits only (it names the Durable Functions task hub handoff<environmentName>)')

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
