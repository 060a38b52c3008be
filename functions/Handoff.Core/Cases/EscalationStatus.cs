namespace Handoff.Core.Cases;

public enum EscalationStatus
{
    Open,
    Resolved,
}
