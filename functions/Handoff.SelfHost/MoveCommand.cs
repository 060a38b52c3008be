using DurableTask.AzureStorage;
using Handoff.Api.Hosting;
using Handoff.Workflow;
using Microsoft.DurableTask.Client;

namespace Handoff.SelfHost;

/// <summary>
/// The operator's command that moves every open case into the task hub this process is configured with (<c>HandoffTaskHub</c>), from
/// our own tables (<see cref="CaseMove"/>), and then, with <c>--retire {oldHub}</c>, deletes the old hub once every open case runs in the
/// new one. docs/operations.md, "Moving the open cases to another task hub", has the procedure:
/// <code>dotnet run --project functions/Handoff.SelfHost -- move [--dry-run] [--retire handoffold] --HandoffTaskHub=handoffnew …</code>
/// It starts no web server and no worker: the hosts switched to the new hub run the orchestrations it starts.
/// </summary>
public static class MoveCommand
{
    public sealed record Options(bool DryRun, string? Retire);


    /// <summary>Takes <c>move</c>, <c>--dry-run</c> and <c>--retire {hub}</c> off the command line; null when the first word is not <c>move</c>.</summary>
    public static Options? Take(ref string[] args)
    {
        if (args.Length == 0 || args[0] != "move")
        {
            return null;
        }

        var rest = new List<string>();
        var dryRun = false;
        string? retire = null;
        for (var i = 1; i < args.Length; i++)
        {
            if (args[i] == "--dry-run")
            {
                dryRun = true;
            }
            else if (args[i] == "--retire" && i + 1 < args.Length)
            {
                retire = args[++i];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        args = [.. rest];
        return new Options(dryRun, retire);
    }

    /// <returns>The process exit code: 0 when every open case runs in the target hub (or, dry, when counted), 1 otherwise.</returns>
    public static async Task<int> RunAsync(IServiceProvider services, Options options, CancellationToken cancellationToken = default)
    {
        var hub = services.GetRequiredService<TaskHubName>().Value;
        var engine = services.GetRequiredService<AzureStorageOrchestrationService>();
        var client = services.GetRequiredService<DurableTaskClient>();
        var move = services.GetRequiredService<CaseMove>();
        var settings = services.GetRequiredService<AzureStorageOrchestrationServiceSettings>();
        if (options.Retire == hub)
        {
            Console.Error.WriteLine($"--retire {hub} names the target hub itself: nothing moved, nothing deleted.");
            return 1;
        }

        await HubPartitions.EnsureHubAsync(engine, settings, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"Moving the open cases into task hub {hub}{(options.DryRun ? " (dry run: nothing is started)" : "")}");
        var report = await move.RunAsync(client, options.DryRun, r => Console.WriteLine($"  … {r}"), cancellationToken).ConfigureAwait(false);
        Console.WriteLine(report);
        if (options.DryRun)
        {
            return 0;
        }

        var missing = await move.NotThereAsync(client, cancellationToken).ConfigureAwait(false);
        if (missing.Count > 0)
        {
            Console.Error.WriteLine($"{missing.Count} open cases do not run in {hub} yet ({string.Join(", ", missing.Take(10))}…): run the move again.");
            return 1;
        }

        Console.WriteLine($"Every open case runs in {hub}.");
        if (options.Retire is { } old)
        {
            // The old hub's queues, tables and blobs: its orchestrations are copies of what our tables hold, and no host uses it now.
            // The engine deletes the control queues its settings' partition count names; the old hub's count may differ from ours
            // (a different count is often why it is retired), so the provider's maximum: queues that never existed are skipped.
            var oldSettings = new AzureStorageOrchestrationServiceSettings
            {
                TaskHubName = old, StorageAccountClientProvider = settings.StorageAccountClientProvider, LoggerFactory = settings.LoggerFactory,
                WorkerId = settings.WorkerId, PartitionCount = services.GetRequiredService<Handoff.Workflow.Engine.EngineBackend>().MaxPartitions,
            };
            await new AzureStorageOrchestrationService(oldSettings).DeleteAsync().ConfigureAwait(false);
            Console.WriteLine($"Task hub {old} deleted.");
        }

        return 0;
    }
}
