using 'main.bicep'

// A sample for a provincial deployment in Azure China; change name, environmentName and alertEmail.
param name = 'handoffgd'
param location = 'chinanorth3'
param environmentName = 'prod'
param planSku = 'EP1'
param dotnetVersion = '10.0'
param alertEmail = 'ops@example.org'
param entraAuthority = ''
param entraAudience = ''
// Local auth off on Application Insights: see infra/README.md ("Telemetry through the identity") for what is unverified in Azure
// China; infra/deploy.sh checks that telemetry arrives after each deployment.
param appInsightsEntraIngestion = true
// The package the app runs. infra/deploy.sh sets HANDOFF_PACKAGE_URI on every deployment (the running package for the infrastructure
// pass, the new versioned blob after the upload): a deployment without it would point the app at no package.
param packageUri = readEnvironmentVariable('HANDOFF_PACKAGE_URI', '')
// Notice channels (infra/README.md, "Notice channels"): the non-secret part, as JSON. infra/deploy.sh sets HANDOFF_CHANNELS from
// HANDOFF_CHANNELS_FILE (and puts the URLs and secrets into Key Vault), or to the channels of the last deployment when that is not
// given. Without deploy.sh: none.
param channels = json(readEnvironmentVariable('HANDOFF_CHANNELS', '[]'))
// Where the pages are, for the case links in channel messages (https); required once there is a channel.
param publicUrl = ''
// The mail server for Email channels; empty: no e-mail. Its password is the Key Vault secret smtp-password (HANDOFF_SMTP_PASSWORD_FILE).
param smtpHost = ''
param smtpPort = 587
param smtpSecurity = 'StartTls'
param smtpUserName = ''
param smtpFrom = ''
