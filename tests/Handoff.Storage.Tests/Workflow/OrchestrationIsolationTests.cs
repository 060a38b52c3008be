using Handoff.Workflow;

namespace Handoff.Storage.Tests.Workflow;

/// <summary>
/// The orchestration replays, so it may do no I/O: its assembly references the pure core and the Durable Task abstractions only (the
/// banned-API analyzer of its project refuses clocks, random numbers, delays and threads at build time).
/// </summary>
public class OrchestrationIsolationTests
{
    [Fact]
    public void TheOrchestrationAssembly_ReferencesNothingThatDoesIo()
    {
        var references = typeof(CaseOrchestration).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var allowed = new[] { "Handoff.Core", "Microsoft.DurableTask.Abstractions", "System.", "Microsoft.Extensions.Logging.Abstractions" };
        var unexpected = references.Where(r => r != "System" && !allowed.Any(a => r == a || (a.EndsWith('.') && r.StartsWith(a, StringComparison.Ordinal)))).ToList();
        Assert.True(unexpected.Count == 0, "unexpected references: " + string.Join(", ", unexpected));
        Assert.DoesNotContain(references, r => r.StartsWith("Azure", StringComparison.Ordinal) || r == "Handoff.Storage" || r == "System.Net.Http");
    }
}
