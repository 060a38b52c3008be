using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Handoff.Storage.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Handoff.Api.Hosting;

/// <summary>
/// OpenTelemetry for both hosts: Handoff's own meter and activity source (<see cref="HandoffTelemetry"/>), the Durable Task engine's
/// traces (DurableTask.Core, Microsoft.DurableTask), and outgoing HTTP (webhooks). Exported to Azure Monitor when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set — through the managed identity when <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>
/// says <c>Authorization=AAD</c> (local auth is off on the component) — to an OTLP collector when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set, and to the console when <c>Handoff:Telemetry:Console</c> is true. Each host adds its own request instrumentation.
/// </summary>
public static class TelemetrySetup
{
    public static readonly string[] TraceSources = [HandoffTelemetry.Name, "DurableTask.Core", "Microsoft.DurableTask", "Microsoft.DurableTask.*"];

    public static OpenTelemetryBuilder AddHandoffTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("handoff", serviceInstanceId: Environment.MachineName))
            .WithTracing(t => t.AddSource(TraceSources).AddHttpClientInstrumentation())
            .WithMetrics(m => m.AddMeter(HandoffTelemetry.Name).AddHttpClientInstrumentation());

        if (configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString)
        {
            var authentication = configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];
            builder.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = connectionString;
                if (authentication?.Contains("Authorization=AAD", StringComparison.OrdinalIgnoreCase) == true)
                {
                    var clientId = authentication.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0].Trim() == "ClientId")?[1].Trim();
                    o.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId ?? configuration["AzureWebJobsStorage:clientId"] ?? ""));
                }
            });
        }

        if (configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 })
        {
            builder.WithTracing(t => t.AddOtlpExporter()).WithMetrics(m => m.AddOtlpExporter());
        }

        if (configuration.GetValue("Handoff:Telemetry:Console", false))
        {
            builder.WithTracing(t => t.AddConsoleExporter()).WithMetrics(m => m.AddConsoleExporter());
        }

        return builder;
    }
}
