using Handoff.Core.Calendar;
using Handoff.Core.Organisations;
using Handoff.Core.Workflow;

namespace Handoff.Storage.Runtime;

/// <summary>What every decision consults, with <c>now</c> read from the injected <see cref="TimeProvider"/>.</summary>
public sealed class WorkflowEnvironment(TimeProvider time, LegalCalendar calendar, OrganisationDirectory directory, HandoffPolicy policy)
{
    public TimeProvider Time => time;

    public OrganisationDirectory Directory => directory;

    public LegalCalendar Calendar => calendar;

    public HandoffPolicy Policy => policy;

    public DateTimeOffset Now => time.GetUtcNow();

    public WorkflowContext Context() => new(time.GetUtcNow(), calendar, directory, policy);
}
