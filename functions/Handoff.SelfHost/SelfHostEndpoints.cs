using Handoff.Api.Endpoints;
using Microsoft.DurableTask.Client;

namespace Handoff.SelfHost;

/// <summary>The self-host's mapping of the routes both hosts serve, and its background workers.</summary>
public static class SelfHostEndpoints
{
    /// <summary>Maps every <see cref="HandoffRoutes.All"/> entry to the shared handler wrapper, with every answer it can give as OpenAPI metadata.</summary>
    public static WebApplication MapHandoffRoutes(this WebApplication app)
    {
        // A status set without a body (no route, wrong method) is answered as a problem with a code, like every other 4xx.
        app.UseStatusCodePages(context => Problems.ForStatus(context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext));
        foreach (var route in HandoffRoutes.All)
        {
            // The route record travels as metadata: the OpenAPI transformers read its parameters and answers from it.
            var endpoint = app.MapMethods("/" + route.Route, [route.Method], (HttpContext http, DurableTaskClient client) => HandoffHttp.RunAsync(http, client, route))
                .WithName(route.Name).WithTags(route.Tag).WithSummary(route.Summary).WithMetadata(route);
            if (route.Description is not null)
            {
                endpoint.WithDescription(route.Description);
            }

            if (route.Body is not null)
            {
                endpoint.Accepts(route.Body, route.BodyOptional, RouteAnswer.Json);
            }

            foreach (var answer in route.Answers)
            {
                endpoint.Produces(answer.Status, answer.Type, answer.ContentType);
            }
        }

        // The pages, through their own wrapper (session, antiforgery), left out of the API's OpenAPI document.
        foreach (var page in Handoff.Pages.Infrastructure.PageRoutes.All)
        {
            app.MapMethods("/" + page.Route, [page.Method], (HttpContext http, DurableTaskClient client) => Handoff.Pages.Infrastructure.PageHttp.RunAsync(http, client, page))
                .WithName(page.Name).ExcludeFromDescription();
        }

        // The Functions host answers "/" itself; self-hosted, "/" leads to the pages.
        app.MapGet("/", () => Results.Redirect("/home")).ExcludeFromDescription();
        return app;
    }

    public static IServiceCollection AddSelfHostWorkers(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("Handoff:Workers:Enabled", true))
        {
            services.AddHostedService<ReconcilerLoop>();
            services.AddHostedService<WebhookPump>();
            services.AddHostedService<ChannelPump>();
        }

        return services;
    }
}
