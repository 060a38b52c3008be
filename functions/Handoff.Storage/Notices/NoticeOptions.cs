namespace Handoff.Storage.Notices;

/// <summary>The notices' settings (<c>Handoff:Notices</c>).</summary>
public sealed record NoticeOptions
{
    /// <summary>
    /// How long a message waits on an integrator's feed (<c>handoff-notices-{organisationId}</c>) or on the webhook queue before the
    /// queue drops it unread. Default 7 days (Azure Queue Storage's own default); 1 hour – 30 days. The inbox keeps every notice
    /// regardless: an integration down for longer than this reads what it missed from <c>GET /api/notices</c> (docs/notices.md).
    /// </summary>
    public TimeSpan QueueTimeToLive { get; init; } = TimeSpan.FromDays(7);
}
