using Handoff.Core.Calendar;
using Handoff.Core.Organisations;
using Handoff.Core.Serialization;
using Handoff.Core.Workflow;
using Handoff.Functions.Api;
using Handoff.Functions.Auth;
using Handoff.Storage.Cases;
using Handoff.Storage.Index;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Notices;
using Handoff.Storage.Protection;
using Handoff.Storage.Queues;
using Handoff.Storage.Runtime;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;

namespace Handoff.Functions.Hosting;

/// <summary>All of the host's registration and mapping, so that Program.cs stays short.</summary>
public static class HandoffHost
{
    public static WebApplicationBuilder AddHandoff(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var environment = builder.Environment;
        var services = builder.Services;
        using var bootLoggers = LoggerFactory.Create(b => b.AddConsole());
        var bootLog = bootLoggers.CreateLogger("Handoff.Startup");

        // Time: the real clock, or a development clock that starts at an instant and runs faster (never in Production).
        var clockStart = string.IsNullOrWhiteSpace(configuration["Handoff:Clock:Start"]) ? null : configuration["Handoff:Clock:Start"];
        var speed = configuration.GetValue("Handoff:Clock:Speed", 1.0);
        TimeProvider time = TimeProvider.System;
        if (clockStart is not null || speed != 1.0)
        {
            if (environment.IsProduction())
            {
                throw new InvalidOperationException("Handoff:Clock:Start and Handoff:Clock:Speed are for development only and are refused in Production.");
            }

            var start = clockStart is null ? TimeProvider.System.GetUtcNow() : DateTimeOffset.Parse(clockStart, System.Globalization.CultureInfo.InvariantCulture);
            time = new DevelopmentClock(TimeProvider.System, start, speed);
            HostLog.DevelopmentClock(bootLog, start, speed);
        }

        services.AddSingleton(time);
        services.AddSingleton(new QueueClock(TimeProvider.System, speed));

        var directoryPath = Resolve(environment, configuration["Handoff:DirectoryFile"] ?? "directory.sample.json");
        var directory = DirectoryLoader.Load(directoryPath);
        services.AddSingleton(directory);
        services.AddSingleton(CalendarLoader.Load(Resolve(environment, configuration["Handoff:CalendarFolder"] ?? "calendar"), bootLog));

        var policy = new HandoffPolicy();
        configuration.GetSection("Handoff:Policy").Bind(policy);
        var policyErrors = policy.Validate();
        if (policyErrors.Count > 0)
        {
            throw new InvalidOperationException("Invalid Handoff:Policy: " + string.Join("; ", policyErrors.Select(e => $"{e.Setting} {e.Rule}")));
        }

        services.AddSingleton(policy);
        var runtime = new RuntimeOptions();
        configuration.GetSection("Handoff:Runtime").Bind(runtime);
        services.AddSingleton(runtime);

        var counter = new StorageRequestCounter();
        services.AddSingleton(counter);
        services.AddSingleton(StorageConnection.Create(configuration, counter));
        services.AddSingleton(new IdNumberProtector(LocalKeys.IdNumberKey(configuration, environment, bootLog)));

        services.AddSingleton<WorkflowEnvironment>();
        services.AddSingleton<CaseStore>();
        // The person lock ages in real time, not on a development clock that may run 43,200 times faster.
        services.AddSingleton(sp => new PersonRegistry(
            sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<CaseStore>(), TimeProvider.System, sp.GetRequiredService<RuntimeOptions>()));
        services.AddSingleton<WakeUpQueue>();
        services.AddSingleton<CaseCommandRunner>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<NoticeDispatcher>();
        services.AddSingleton<CaseIndexStore>();
        services.AddSingleton<WakeUpProcessor>();
        services.AddSingleton<QueueHealth>();
        services.AddSingleton<CaseCommands>();
        services.AddHttpClient(nameof(WebhookHandler), c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<IQueueHandler, WakeUpHandler>();
        services.AddSingleton<IQueueHandler>(sp => new WebhookHandler(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(WebhookHandler)), directory, WebhookSecrets(configuration, directory)));
        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<QueueWorkers>();

        var useDevKeys = configuration.GetValue("Handoff:Auth:UseDevKeys", !environment.IsProduction());
        if (useDevKeys && environment.IsProduction())
        {
            throw new InvalidOperationException("Refusing to start: sample API keys (dev-{organisationId}) are enabled in Production. Set Handoff:Auth:UseDevKeys=false and configure Handoff:ApiKeys.");
        }

        services.AddSingleton(new ApiKeyRegistry(directory, configuration, useDevKeys));
        services.AddHandoffAuthentication(configuration, directory);
        services.AddAuthorization();
        services.AddProblemDetails();
        services.Configure<JsonOptions>(o =>
        {
            CoreJson.Configure(o.SerializerOptions);
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapHandoff(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(WriteErrorAsync));
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealthApi();
        app.MapDirectoryApi();
        app.MapCasesApi();
        app.MapEscalationsApi();
        if (app.Configuration.GetValue("Handoff:CustomHandler:Enabled", false))
        {
            app.MapCustomHandlerApi();
        }

        return app;
    }

    /// <summary>Unreadable bodies name the JSON path at fault; a case too contended to update asks the caller to retry.</summary>
    private static Task WriteErrorAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var result = error switch
        {
            BadHttpRequestException { InnerException: System.Text.Json.JsonException json } =>
                Problems.Invalid(json.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body", "unreadable-json",
                    "could not be read: " + (json.Path is null ? "the body is not valid JSON" : "wrong type or format")),
            BadHttpRequestException bad => Problems.Problem(bad.StatusCode, "bad-request", null, bad.Message),
            ConcurrencyExhaustedException => Problems.Problem(StatusCodes.Status503ServiceUnavailable, "case-busy", null,
                "The case changed under this request several times; nothing was written. Retry with the same Idempotency-Key."),
            _ => Problems.Problem(StatusCodes.Status500InternalServerError, "internal-error", null, "An unexpected error occurred; nothing was acknowledged that was not done."),
        };
        return result.ExecuteAsync(context);
    }

    private static Dictionary<string, string> WebhookSecrets(IConfiguration configuration, OrganisationDirectory directory) =>
        directory.All
            .Select(o => (o.Id, Secret: configuration[$"Handoff:Webhooks:{o.Id}:Secret"]))
            .Where(x => !string.IsNullOrEmpty(x.Secret))
            .ToDictionary(x => x.Id, x => x.Secret!);

    private static string Resolve(IHostEnvironment environment, string path)
    {
        if (Path.IsPathRooted(path))
        {
            return path;
        }

        var candidate = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(candidate) || Directory.Exists(candidate) ? candidate : Path.Combine(environment.ContentRootPath, path);
    }
}
