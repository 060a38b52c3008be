using System.Net;
using System.Net.Sockets;
using Handoff.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Workflow.Tests.Support;

/// <summary>
/// The Durable Task SDK's in-process test host (in-memory backend, real time) running the real <see cref="CaseOrchestration"/> and the
/// real activities (<see cref="ApplyPendingActivity"/>, <see cref="NoteBlockedActivity"/>, and the schema-2 <see cref="ApplyStepActivity"/>) over Azurite, with the one wire format both hosts use (<see cref="WorkflowJson.Converter"/>).
/// </summary>
public sealed class InProcessEngine : IAsyncDisposable
{
    private readonly DurableTaskTestHost _host;

    private InProcessEngine(DurableTaskTestHost host) => _host = host;

    public DurableTaskClient Client => _host.Client;

    /// <param name="faults">Optional: runs in place of the case's activity (a test's activity that fails, then calls the real one).</param>
    public static async Task<InProcessEngine> StartAsync(Stores stores, Func<ApplyPendingRequest, Task<CaseProgress>>? faults = null)
    {
        // The host picks a random port in 30000–40000 unless told: parallel test processes could collide. A port the system just
        // handed out can still be taken by someone else before the host binds it, so try a few.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var host = await DurableTaskTestHost.StartAsync(
                    registry =>
                    {
                        registry.AddOrchestratorFunc<CaseOrchestrationInput, CaseProgress>(
                            CaseOrchestration.Name, (context, input) => CaseOrchestration.RunAsync(context, input!));
                        registry.AddActivityFunc<ApplyPendingRequest, CaseProgress>(
                            ApplyPendingActivity.Name, (_, request) => faults is null ? stores.Pending.RunAsync(request!) : faults(request!));
                        registry.AddActivityFunc<ApplyStepRequest, CaseProgress>(
                            ApplyStepActivity.Name, (_, request) => stores.Activity.RunAsync(request!));
                        registry.AddActivityFunc<NoteBlockedRequest, object?>(
                            NoteBlockedActivity.Name, async (_, request) =>
                            {
                                await stores.Blocked.RunAsync(request!);
                                return null;
                            });
                    },
                    new DurableTaskTestHostOptions
                    {
                        Port = FreePort(),
                        ConfigureServices = services => services.AddSingleton<DataConverter>(WorkflowJson.Converter),
                    });
                return new InProcessEngine(host);
            }
            catch (IOException) when (attempt < 3)
            {
            }
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
