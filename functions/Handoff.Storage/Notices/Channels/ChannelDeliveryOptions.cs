namespace Handoff.Storage.Notices.Channels;

/// <summary>How channel deliveries behave (<c>Handoff:Delivery</c>); the defaults suit the platforms' published limits.</summary>
public sealed record ChannelDeliveryOptions
{
    /// <summary>How long one request to a robot or the mail server may take before its answer counts as lost (uncertain). 10 s.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a claimed message may stay unsettled before another sender takes the channel over: at least twice
    /// <see cref="SendTimeout"/>. The notices of a claim that expired (its sender died between sending and recording) are marked
    /// uncertain and not sent again. 2 minutes.
    /// </summary>
    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>After transient failures for this long, a notice is given up and reported (it stays in the inbox). 1 day.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The wait after a notice is queued before its channel sends, so that a burst goes as one digest. 2 s.</summary>
    public TimeSpan GatherDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The first retry after a transient failure; it doubles each time up to <see cref="MaxBackoff"/>. 10 s.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between retries after transient failures. 10 minutes.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the reconciler's timer looks for channels with notices waiting and no wake-up coming. 10 minutes.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(10);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (SendTimeout < TimeSpan.FromSeconds(1) || SendTimeout > TimeSpan.FromMinutes(2))
        {
            errors.Add("SendTimeout must be between 1 second and 2 minutes");
        }

        if (ClaimTimeout < 2 * SendTimeout)
        {
            errors.Add("ClaimTimeout must be at least twice SendTimeout (a sender still waiting for its answer must not be taken over)");
        }

        if (GiveUpAfter < TimeSpan.FromMinutes(1) || GiveUpAfter > TimeSpan.FromDays(7))
        {
            errors.Add("GiveUpAfter must be between 1 minute and 7 days (a queue message lives 7 days)");
        }

        if (GatherDelay < TimeSpan.Zero || GatherDelay > TimeSpan.FromMinutes(1))
        {
            errors.Add("GatherDelay must be between 0 and 1 minute");
        }

        if (BackoffBase <= TimeSpan.Zero || MaxBackoff < BackoffBase || MaxBackoff > TimeSpan.FromHours(1))
        {
            errors.Add("BackoffBase must be positive and MaxBackoff between it and 1 hour");
        }

        if (SweepInterval < TimeSpan.FromMinutes(1) || SweepInterval > TimeSpan.FromDays(1))
        {
            errors.Add("SweepInterval must be between 1 minute and 1 day");
        }

        return errors;
    }
}
