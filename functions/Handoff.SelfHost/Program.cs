using Handoff.Api.Hosting;
using Handoff.Pages.Infrastructure;
using Handoff.SelfHost;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

var move = MoveCommand.Take(ref args); // `move [--dry-run] [--retire hub]`: the operator's command, then exit (docs/operations.md)
var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null && builder.Configuration["ASPNETCORE_HTTP_PORTS"] is null)
{
    builder.WebHost.UseUrls("http://127.0.0.1:7071");
}

await using var azurite = await LocalStorage.StartIfNeededAsync(builder);
LocalStorage.UseLocalIdNumberKeyIfNeeded(builder);
builder.Services.AddHandoff(builder.Configuration, builder.Environment, defaultTaskHub: "handofflocal");
builder.Services.AddHandoffPages(builder.Configuration, builder.Environment);
builder.Services.AddDurableEngine(builder.Configuration);
builder.Services.AddSelfHostWorkers(builder.Configuration);
builder.Services.AddHandoffOpenApi();
builder.Services.AddHandoffTelemetry(builder.Configuration)
    .WithTracing(t => t.AddAspNetCoreInstrumentation())
    .WithMetrics(m => m.AddAspNetCoreInstrumentation());
var app = builder.Build();
if (move is not null)
{
    Environment.ExitCode = await MoveCommand.RunAsync(app.Services, move);
    return;
}

app.MapHandoffRoutes();
await app.StartAsync();
await SampleData.SeedAsync(app);
if (app.Environment.IsDevelopment())
{
    // The address a newcomer opens first (README "Pages").
    Console.WriteLine($"Pages: sign in at {app.Urls.FirstOrDefault()}/signin — as any sample organisation's duty officer (Development only)");
}
await app.WaitForShutdownAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
