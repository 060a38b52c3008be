using Handoff.Core.Calendar;
using Handoff.Core.Organisations;

namespace Handoff.Core.Workflow;

/// <summary>Everything a decision may consult besides the case and the command. <see cref="Now"/> is an input, never read from a clock.</summary>
public sealed record WorkflowContext(
    DateTimeOffset Now,
    LegalCalendar Calendar,
    OrganisationDirectory Directory,
    HandoffPolicy Policy);
