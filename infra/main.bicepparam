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
