// Log Analytics, Application Insights, and the alerts: an orchestration failed, a webhook delivery was moved to
// handoff-webhooks-poison, a case is blocked, a notice channel gave up or lost track of a send. Every query matches log lines, not
// metrics; they are unverified against real logs (see infra/README.md).
param name string
param location string
param alertEmail string
@description('The app\'s identity: it gets Monitoring Metrics Publisher on Application Insights, the role Entra-authenticated ingestion needs.')
param principalId string
@description('Local auth off: the component then only takes telemetry authenticated through Microsoft Entra ID (see infra/README.md).')
param entraIngestionOnly bool

// Monitoring Metrics Publisher: despite its name it publishes all telemetry to the component ("Microsoft Entra authentication for
// Application Insights").
var metricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: '${name}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: entraIngestionOnly
  }
}

resource publishTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: insights
  name: guid(insights.id, principalId, metricsPublisher)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher)
  }
}

resource operators 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: '${name}-operators'
  location: 'global'
  properties: {
    groupShortName: 'handoff'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// The Durable extension (WebJobs.Extensions.DurableTask, EndToEndTraceHelper.FunctionFailed, logger category
// "Host.Triggers.DurableTask", LogError) writes, for an isolated-worker orchestrator that fails (OutOfProcMiddleware):
//   "{instanceId}: Function '{functionName} ({functionType})' failed with an error. Reason: {reason}. IsReplay: … RuntimeStatus: Failed …"
// with functionType "Orchestrator". Activity failures log the same line with "(Activity)" and are not matched: a retried activity
// is not an incident, an orchestration that ends Failed is.
var orchestrationFailedQuery = '''
traces
| where message contains "(Orchestrator)' failed with an error"
| extend instanceId = tostring(split(message, ":")[0])
| project timestamp, instanceId, message
'''

// The queue trigger (Microsoft.Azure.WebJobs.Extensions.Storage.Queues, QueueProcessor.CopyMessageToPoisonQueueAsync, LogWarning)
// writes "Message has reached MaxDequeueCount of {n}. Moving message to queue '{poison queue}'." before it moves the message.
var webhookPoisonedQuery = '''
traces
| where message contains "Moving message to queue 'handoff-webhooks-poison'"
| project timestamp, message
'''

// Our own log (Handoff.Workflow, event 1036, LogWarning), written by the NoteBlocked activity each round a case's activity fails past its
// retries: "Case {CaseId} is blocked: its activity failed {Failures} round(s) of retries since … next try at … Last error: …". The case's
// orchestration keeps running and tries again with back-off; the alert is for a person to look at what keeps failing.
var caseBlockedQuery = '''
traces
| where tostring(customDimensions.EventId) == "1036" or message has "is blocked: its activity failed"
| project timestamp, message
'''

// Our own logs from the notice channels (group robots and e-mail), matched as the blocked-case alert matches 1036: by event id, or by
// the message text should the id not reach customDimensions.
//   1050 Error   "Channel {Channel} gave up on {Count} notices: {Error}": a permanent refusal (企业微信 93000 bad key, 钉钉 310000 or
//                飞书 19021 bad signature, SMTP authentication refused) or transient errors for more than a day. Those notices will not
//                reach the group or mailbox; they are still in the organisation's inbox. Usually a robot was removed or re-keyed, or
//                the SMTP password changed: put the new value in Key Vault (infra/README.md, "Notice channels").
//   1051 Warning "Channel {Channel}: a send was interrupted before it was recorded; {Count} notices are not resent (they may or may
//                not have arrived)": someone should look at the group or mailbox.
var channelGaveUpQuery = '''
traces
| where tostring(customDimensions.EventId) in ("1050", "1051") or (message startswith "Channel " and message has "gave up on") or message has "notices are not resent"
| project timestamp, message
'''

resource orchestrationFailedAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${name}-orchestration-failed'
  location: location
  properties: {
    displayName: 'Handoff: an orchestration failed'
    description: 'The Durable Task extension logged an orchestrator function that failed (runtime status Failed).'
    severity: 1
    enabled: true
    scopes: [
      insights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: orchestrationFailedQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        operators.id
      ]
    }
  }
}

resource webhookPoisonedAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${name}-webhook-poisoned'
  location: location
  properties: {
    displayName: 'Handoff: a webhook delivery was moved to handoff-webhooks-poison'
    description: 'The queue trigger gave up on a webhook delivery after maxDequeueCount attempts and moved it to the poison queue.'
    severity: 2
    enabled: true
    scopes: [
      insights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: webhookPoisonedQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        operators.id
      ]
    }
  }
}

resource caseBlockedAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${name}-case-blocked'
  location: location
  properties: {
    displayName: 'Handoff: a case is blocked'
    description: 'A case\'s activity failed all its retries; its orchestration waits and tries again (GET /healthz lists the blocked cases).'
    severity: 2
    enabled: true
    scopes: [
      insights.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: caseBlockedQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        operators.id
      ]
    }
  }
}

resource channelGaveUpAlert 'Microsoft.Insights/scheduledQueryRules@2026-03-01' = {
  name: '${name}-channel-gave-up'
  location: location
  properties: {
    displayName: 'Handoff: a notice channel gave up on notices'
    description: 'A group robot or e-mail channel gave up on notices (event 1050: bad key, bad signature, SMTP login refused, or failing for a day), or a send was interrupted and its notices are not resent (event 1051). The notices are still in the inbox; check the channel\'s URL or password in Key Vault.'
    severity: 2
    enabled: true
    scopes: [
      insights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    criteria: {
      allOf: [
        {
          query: channelGaveUpQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: true
    actions: {
      actionGroups: [
        operators.id
      ]
    }
  }
}

output connectionString string = insights.properties.ConnectionString
@description('The workspace ID (a GUID) that log queries take, e.g. az monitor log-analytics query -w.')
output workspaceCustomerId string = workspace.properties.customerId
