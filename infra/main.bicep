// Handoff on Azure Functions (custom handler, Linux), with storage, identity, Key Vault and monitoring.
// Endpoints and suffixes come from environment(), so the same template deploys to AzureCloud and AzureChinaCloud.
targetScope = 'resourceGroup'

@description('Base name for the resources: 3–11 lowercase letters or digits.')
@minLength(3)
@maxLength(11)
param name string

@description('Azure region, e.g. chinanorth3 or eastasia.')
param location string = resourceGroup().location

@description('Elastic Premium plan size (see infra/README.md for why not Flex Consumption).')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param planSku string = 'EP1'

@description('Where operators are told when a message is poisoned.')
param alertEmail string

@description('Microsoft Entra ID authority for bearer tokens, e.g. https://login.partner.microsoftonline.cn/{tenant}/v2.0. Empty: API keys only.')
param entraAuthority string = ''

@description('The application ID URI tokens must be issued for. Empty: API keys only.')
param entraAudience string = ''

@description('Blob URL of the published functionapp.zip (in the deployments container); empty until the first deployment.')
param packageUri string = ''

var suffix = take(uniqueString(resourceGroup().id), 8)

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${name}-id'
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: '${name}${suffix}'
    location: location
    principalId: identity.outputs.principalId
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'vault'
  params: {
    name: '${name}-kv-${suffix}'
    location: location
    principalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: name
    location: location
    alertEmail: alertEmail
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: '${name}-${suffix}'
    location: location
    planSku: planSku
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    vaultName: vault.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    entraAuthority: entraAuthority
    entraAudience: entraAudience
    packageUri: packageUri
  }
}

output functionAppName string = app.outputs.name
output functionAppHost string = app.outputs.defaultHostName
output storageAccountName string = storage.outputs.name
output keyVaultName string = vault.outputs.name
