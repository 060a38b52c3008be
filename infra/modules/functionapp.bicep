// The function app: Linux, custom handler (functions/host.json), Elastic Premium, running as the user-assigned identity.
param name string
param location string
param planSku string
param identityId string
param identityClientId string
param storageAccountName string
param vaultName string
param appInsightsConnectionString string
param entraAuthority string
param entraAudience string
param packageUri string

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
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

var settings = [
  {
    name: 'FUNCTIONS_EXTENSION_VERSION'
    value: '~4'
  }
  {
    name: 'FUNCTIONS_WORKER_RUNTIME'
    value: 'custom'
  }
  {
    name: 'ASPNETCORE_ENVIRONMENT'
    value: 'Production'
  }
  {
    name: 'AzureWebJobsStorage__accountName'
    value: storageAccountName
  }
  {
    name: 'AzureWebJobsStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'AzureWebJobsStorage__clientId'
    value: identityClientId
  }
  {
    name: 'Handoff__Storage__EndpointSuffix'
    value: environment().suffixes.storage
  }
  {
    name: 'Handoff__Auth__UseDevKeys'
    value: 'false'
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
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsightsConnectionString
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

resource site 'Microsoft.Web/sites@2024-04-01' = {
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
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: settings
    }
  }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
