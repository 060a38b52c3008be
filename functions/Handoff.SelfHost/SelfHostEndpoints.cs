using Handoff.Api.Endpoints;
using Microsoft.DurableTask.Client;

namespace Handoff.SelfHost;

/// <summary>The self-host's mapping of the routes both hosts serve, and its background workers.</summary>
public static class SelfHostEndpoints
{
    /// <summary>Maps every <see cref="HandoffRoutes.All"/> entry to the shared handler wrapper, with its OpenAPI metadata.</summary>
    public static WebApplication MapHandoffRoutes(this WebApplication app)
    {
        // A status set without a body (no route, wrong method) is answered as a problem with a code, like every other 4xx.
        app.UseStatusCodePages(context => Problems.ForStatus(context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
        foreach (var route in HandoffRoutes.All)
        {
            var endpoint = app.MapMethods("/" + route.Route, [route.Method], (HttpContext http, DurableTaskClient client) => HandoffHttp.RunAsync(http, client, route))
                .WithName(route.Name).WithTags(route.Tag).WithSummary(route.Summary);
            if (route.Body is not null)
            {
                endpoint.Accepts(route.Body, "application/json");
            }

            if (route.Response is not null)
            {
                endpoint.Produces(route.SuccessStatus, route.Response);
            }
        }

        return app;
    }

    public static IServiceCollection AddSelfHostWorkers(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("Handoff:Workers:Enabled", true))
        {
            services.AddHostedService<ReconcilerLoop>();
            services.AddHostedService<WebhookPump>();
        }

        return services;
    }
}
