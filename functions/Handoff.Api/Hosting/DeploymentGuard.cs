using Handoff.Core.Organisations;

namespace Handoff.Api.Hosting;

/// <summary>
/// Development features stay in Development. In any other environment (Staging, Production, a test deployment) the service refuses
/// to start while one of them is on, with one message that names every setting at fault: the sample API keys, the sample
/// directory, the sample or a missing identity-number key, sample data, and webhooks that are not https or have no secret.
/// (The development clock and the local emulator are refused where they are configured: <see cref="HandoffServices"/> and the
/// self-host's local storage.)
/// </summary>
public static class DeploymentGuard
{
    /// <summary>The identity-number key printed in <c>local.settings.sample.json</c>: public, so never a deployment's.</summary>
    public const string SampleIdNumberKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    public const string SampleDirectoryFile = "directory.sample.json";

    /// <summary>Throws when <paramref name="environment"/> is not Development and a development feature is on.</summary>
    public static void Check(IConfiguration configuration, IHostEnvironment environment, OrganisationDirectory directory)
    {
        if (environment.IsDevelopment())
        {
            return;
        }

        var faults = new List<string>();
        if (configuration.GetValue("Handoff:Auth:UseDevKeys", false))
        {
            faults.Add("Handoff:Auth:UseDevKeys is on: the sample keys dev-{organisationId} would let anyone act as any organisation. Set it to false and configure Handoff:ApiKeys:{organisationId} or Entra ID.");
        }

        var directoryFile = configuration["Handoff:DirectoryFile"];
        if (string.IsNullOrWhiteSpace(directoryFile) || Path.GetFileName(directoryFile).Equals(SampleDirectoryFile, StringComparison.OrdinalIgnoreCase))
        {
            faults.Add($"Handoff:DirectoryFile must name this deployment's organisation directory; {SampleDirectoryFile} is sample data for Development.");
        }

        var key = configuration["Handoff:Secrets:IdNumberKey"];
        if (string.IsNullOrWhiteSpace(key))
        {
            faults.Add("Handoff:Secrets:IdNumberKey is required outside Development (identity numbers are stored encrypted, 戒毒条例 7): base64 of 32 random bytes, e.g. a Key Vault reference.");
        }
        else if (key.Trim() == SampleIdNumberKey || IsAllZero(key))
        {
            faults.Add("Handoff:Secrets:IdNumberKey is the published sample key; generate one (openssl rand -base64 32) and keep it in Key Vault.");
        }

        if (configuration.GetValue("Handoff:SampleData", false))
        {
            faults.Add("Handoff:SampleData is on: a sample case would be registered in a real deployment. Remove the setting.");
        }

        foreach (var organisation in directory.All.Where(o => o.Webhook is not null))
        {
            if (organisation.Webhook!.Scheme != Uri.UriSchemeHttps)
            {
                faults.Add($"The webhook of {organisation.Id} in Handoff:DirectoryFile is {organisation.Webhook.Scheme}: notices carry personal data and go only over https.");
            }

            if (string.IsNullOrWhiteSpace(configuration[$"Handoff:Webhooks:{organisation.Id}:Secret"]))
            {
                faults.Add($"Handoff:Webhooks:{organisation.Id}:Secret is required: without it the receiver cannot tell our deliveries from forged ones.");
            }
        }

        if (faults.Count > 0)
        {
            throw new InvalidOperationException(
                $"Refusing to start in the {environment.EnvironmentName} environment, where development features are off:\n- " + string.Join("\n- ", faults));
        }
    }

    private static bool IsAllZero(string base64)
    {
        try
        {
            return Convert.FromBase64String(base64.Trim()).All(b => b == 0);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
