using Handoff.Functions.Api;
using Handoff.Functions.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration[CustomHandlerApi.PortVariable] is { Length: > 0 } port)
{
    // Started by the Azure Functions host: listen where it says, let its queue triggers drive the handlers.
    builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
    builder.Configuration["Handoff:CustomHandler:Enabled"] = "true";
    builder.Configuration["Handoff:Workers:Enabled"] = "false";
}
else if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null && builder.Configuration["ASPNETCORE_HTTP_PORTS"] is null)
{
    builder.WebHost.UseUrls("http://127.0.0.1:7071");
}

await using var azurite = await LocalStorage.StartIfNeededAsync(builder);
builder.AddHandoff();
var app = builder.Build();
app.MapHandoff();
await app.StartAsync();
await SampleData.SeedAsync(app);
await app.WaitForShutdownAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
