namespace Handoff.Pages.Infrastructure;

/// <summary>303 See Other to a local path: after a form, the browser GETs the page (and a reload never resends the form).</summary>
public sealed class SeeOther(string location) : IResult, IStatusCodeHttpResult
{
    public string Location { get; } = location;

    public int? StatusCode => StatusCodes.Status303SeeOther;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
