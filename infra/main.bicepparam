using 'main.bicep'

// A sample for a provincial deployment in Azure China; change name and alertEmail.
param name = 'handoffgd'
param location = 'chinanorth3'
param planSku = 'EP1'
param alertEmail = 'ops@example.org'
param entraAuthority = ''
param entraAudience = ''
