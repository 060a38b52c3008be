namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// The base name feeds every resource name. Bicep has no regular expressions, so main.bicep checks the characters with fail(), which
/// ARM evaluates while it validates the template, before it creates anything; bicep snapshot evaluates it the same way here. A class
/// of its own so its snapshots run beside <see cref="InfraTests"/>'s.
/// </summary>
public class InfraNameTests
{
    [Theory]
    [InlineData("'Handoff'")]
    [InlineData("'hand-off'")]
    [InlineData("'hand_off'")]
    [InlineData("'1handoff'")]
    [InlineData("'handoffgd中'")]
    public async Task Snapshot_InvalidName_IsRefusedWithTheRule(string name)
    {
        var (exitCode, output, _) = await BicepSnapshot.TryTakeAsync(new Dictionary<string, string> { ["name"] = name });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("name must be 3-11 lowercase letters and digits, starting with a letter", output);
    }

    [Theory]
    [InlineData("'ab'")]
    [InlineData("'abcdefghijkl'")]
    public async Task Snapshot_NameOutsideTheLengthBounds_IsRefused(string name)
    {
        var (exitCode, output, _) = await BicepSnapshot.TryTakeAsync(new Dictionary<string, string> { ["name"] = name });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("BCP33", output); // BCP332/BCP333: longer or shorter than @maxLength / @minLength
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("abcdefghijk")]
    [InlineData("h0ndoff9gd1")]
    public async Task Snapshot_ValidName_KeepsEveryDerivedNameWithinItsResourceRules(string name)
    {
        var snapshot = await BicepSnapshot.TakeAsync(new Dictionary<string, string> { ["name"] = $"'{name}'" });

        foreach (var resource in snapshot.Resources.Where(r => ResourceNameRules.Applies((string)r["type"]!)))
        {
            var (type, resourceName) = ((string)resource["type"]!, (string)resource["name"]!);
            Assert.True(ResourceNameRules.IsValid(type, resourceName), $"{type} '{resourceName}' breaks its naming rule: {ResourceNameRules.Describe(type)}");
        }

        Assert.True(ResourceNameRules.IsValid("taskHub", snapshot.AppSettings["HandoffTaskHub"]), snapshot.AppSettings["HandoffTaskHub"]);
    }

    /// <summary>
    /// The engine cannot change a hub's partition count (issue 23), so an environment's hub is named with host.json's count, as the
    /// hosts name their default hubs: a new count is a new hub, which the operator moves the open cases into.
    /// </summary>
    [Fact]
    public async Task Snapshot_TaskHubName_CarriesHostJsonsPartitionCount_AsTheHostsDefaultsDo()
    {
        var root = Handoff.Development.AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var host = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "functions", "Handoff.Functions", "host.json")))!;
        var partitions = (int)host["extensions"]!["durableTask"]!["storageProvider"]!["partitionCount"]!;

        var snapshot = await BicepSnapshot.TakeAsync(new Dictionary<string, string> { ["environmentName"] = "'prod'" });

        Assert.Equal(Handoff.Api.Hosting.TaskHubName.Default("handoffprod", partitions), snapshot.AppSettings["HandoffTaskHub"]);
        Assert.Equal("handoffprodp16", snapshot.AppSettings["HandoffTaskHub"]);
    }

    [Theory]
    [InlineData("'pr-od'")]
    [InlineData("'prod_1'")]
    public async Task Snapshot_EnvironmentNameOutsideLettersAndDigits_IsRefused(string environmentName)
    {
        var (exitCode, output, _) = await BicepSnapshot.TryTakeAsync(new Dictionary<string, string> { ["environmentName"] = environmentName });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("environmentName must be letters and digits only", output);
    }
}
