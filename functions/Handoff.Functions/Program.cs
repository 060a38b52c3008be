using Azure.Core.Serialization;
using Handoff.Api.Hosting;
using Handoff.Pages.Infrastructure;
using Handoff.Workflow;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.DurableTask.Worker;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;

namespace Handoff.Functions;

/// <summary>
/// The isolated worker's entry point. The Functions host starts this process and drives it over gRPC; the functions themselves are
/// in <see cref="HttpFunctions"/>, <see cref="CaseFunctions"/>, <see cref="ReconcilerFunction"/> and <see cref="WebhookFunction"/>.
/// Not named <c>Program</c>, so that it never shadows the self-host's <c>Program</c> in code that sees both.
/// </summary>
internal static class FunctionApp
{
    public static void Main(string[] args)
    {
        var builder = FunctionsApplication.CreateBuilder(args);

        // ASP.NET Core integration: HTTP functions take HttpRequest and return IResult, run by the worker's own Kestrel pipeline.
        builder.ConfigureFunctionsWebApplication();
        builder.Services.AddHandoff(builder.Configuration, builder.Environment, defaultTaskHub: "handoff");
        builder.Services.AddHandoffPages(builder.Configuration, builder.Environment);

        // OpenTelemetry in the worker, correlated with the host's invocation traces (host.json telemetryMode OpenTelemetry).
        builder.Services.AddHandoffTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();

        // The Durable extension's DataConverter is built from the worker serializer: orchestration inputs, outputs, events and
        // activity payloads then use the same System.Text.Json options as the self-host (WorkflowJson.Converter).
        builder.Services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(WorkflowJson.Options));

        // Long waits are split into timer pieces of the engine backend's length (Azure Storage hides a queue message at most 7 days: 6),
        // as in the self-host.
        builder.Services.AddOptions<DurableTaskWorkerOptions>()
            .Configure<Handoff.Workflow.Engine.EngineBackend>((o, backend) => o.MaximumTimerInterval = backend.MaximumTimerInterval);

        builder.Build().Run();
    }
}
