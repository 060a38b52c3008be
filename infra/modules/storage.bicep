// The storage account: our own tables and queues (functions/Handoff.Storage/Infrastructure/StorageNames.cs), the Functions host's
// blobs, the Durable Task extension's task hub, and the deployment package. Shared-key access is off: everything goes through the
// managed identity's roles below.
//
// The task hub's own tables ({hub}History, {hub}Instances, {hub}Partitions), queues ({hub}-control-NN, {hub}-workitems) and
// containers ({hub}-leases, {hub}-applease, {hub}-largemessages) are created by the Durable extension at runtime; they are not
// listed here on purpose.
param name string
param location string
param principalId string

var tables = [
  'Cases'
  'Persons'
  'CaseIndex'
  'Inbox'
  'RegionStats'
  'HandoffClock'
  'Channels'
]
// The integrators' feeds, handoff-notices-{organisationId}, are created by the app on each organisation's first notice; grant an
// organisation's integration the Storage Queue Data Message Processor role on its own queue only (docs/notices.md).
var queues = [
  'handoff-webhooks'
  'handoff-webhooks-poison'
  'handoff-channels'
  'handoff-channels-poison'
]

// Built-in roles for identity-based connections of the Functions host and the Durable Task extension (Azure Storage provider):
// tables and queues for the task hub and our own data, blobs for the host's and the task hub's leases, large messages, and the
// deployment package. See infra/README.md for the documentation behind this list.
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource account 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource tableResources 'Microsoft.Storage/storageAccounts/tableServices/tables@2025-01-01' = [
  for table in tables: {
    parent: tableService
    name: table
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource queueResources 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-01-01' = [
  for queue in queues: {
    parent: queueService
    name: queue
  }
]

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: account
  name: 'default'
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: 'deployments'
}

// The pages' session and antiforgery key ring (ASP.NET Core Data Protection, BlobKeyRepository): every instance reads the same keys.
resource sessionKeys 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: 'handoff-keys'
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in items(roles): {
    scope: account
    name: guid(account.id, principalId, role.value)
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    }
  }
]

output name string = account.name
output packageContainerName string = deployments.name
// The service endpoints as the cloud reports them (…core.windows.net in Azure, …core.chinacloudapi.cn in Azure China), for the
// AzureWebJobsStorage__*ServiceUri settings: __accountName alone is documented as not working outside public Azure.
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
