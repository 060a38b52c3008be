using System.Text.RegularExpressions;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// The naming rules of the resource types infra/ names from its <c>name</c> parameter, after "Naming rules and restrictions for Azure
/// resources" (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules), plus the Durable Task task
/// hub rule (3–45 letters and digits, starting with a letter).
/// </summary>
internal static class ResourceNameRules
{
    private static readonly Dictionary<string, (Regex Pattern, string Rule)> Rules = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Storage/storageAccounts"] = (new(@"^[a-z0-9]{3,24}$"), "3-24 lowercase letters and digits"),
        ["Microsoft.KeyVault/vaults"] = (new(@"^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$"), "3-24 alphanumerics and hyphens, starting with a letter, ending with an alphanumeric, no consecutive hyphens"),
        ["Microsoft.ManagedIdentity/userAssignedIdentities"] = (new(@"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$"), "3-128 alphanumerics, hyphens and underscores, starting with an alphanumeric"),
        ["Microsoft.Web/sites"] = (new(@"^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$"), "2-60 alphanumerics and hyphens, not starting or ending with a hyphen"),
        ["Microsoft.Web/serverfarms"] = (new(@"^[a-zA-Z0-9-]{1,60}$"), "1-60 alphanumerics and hyphens"),
        ["Microsoft.OperationalInsights/workspaces"] = (new(@"^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$"), "4-63 alphanumerics and hyphens, starting and ending with an alphanumeric"),
        ["Microsoft.Insights/components"] = (new(@"^[^%&\\?/\p{Cc}]{0,259}[^%&\\?/\p{Cc} .]$"), "1-260 characters without %&\\?/, not ending with a space or period"),
        ["Microsoft.Insights/actionGroups"] = (new(@"^[^:<>+/&%\\?\p{Cc}]{0,259}[^:<>+/&%\\?\p{Cc} .]$"), "1-260 characters without :<>+/&%\\?, not ending with a space or period"),
        ["Microsoft.Insights/scheduledQueryRules"] = (new(@"^[^*<>%{}&:\\?/#|\p{Cc}]{0,259}[^*<>%{}&:\\?/#|\p{Cc} .]$"), "1-260 characters without *<>%{}&:\\?/#|, not ending with a space or period"),
        ["taskHub"] = (new(@"^[a-zA-Z][a-zA-Z0-9]{2,44}$"), "3-45 letters and digits, starting with a letter"),
    };

    public static bool Applies(string type) => Rules.ContainsKey(type);

    public static bool IsValid(string type, string name) => Rules[type].Pattern.IsMatch(name);

    public static string Describe(string type) => Rules[type].Rule;
}
