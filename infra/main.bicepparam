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
