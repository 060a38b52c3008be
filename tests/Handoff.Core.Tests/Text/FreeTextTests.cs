using Handoff.Core.Cases;
using Handoff.Core.Tests.Support;
using Handoff.Core.Text;
using Handoff.Core.Workflow;
using static Handoff.Testing.TestData;

namespace Handoff.Core.Tests.Text;

/// <summary>The core refuses text that could forge a line in a notice whoever sends it (the API, a page, a replayed command).</summary>
public class FreeTextTests
{
    [Theory]
    [InlineData("原因一\n督办级别：已解除")]
    [InlineData("原因\r【督办已解除】")]
    [InlineData("\u200b\u200b")]
    [InlineData("响铃\u0007")]
    public void Postponement_WithAReasonThatForgesALine_IsRefused(string reason)
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 2)), Beijing(2026, 2, 24, 10));

        var decision = run.Do(new PostponeRelease(As(Centre), new DateOnly(2026, 3, 20), reason), Beijing(2026, 2, 25, 10));

        Assert.True(decision.IsRejected);
        Assert.Equal("reason", decision.Rejection!.Field);
    }

    [Fact]
    public void Cancellation_WithAOneLineReason_IsAccepted_AndQuotedInTheNotice()
    {
        var run = new CaseRun();
        run.Accept(Register(new DateOnly(2026, 3, 2)), Beijing(2026, 2, 24, 10));

        var decision = run.Accept(new CancelRelease(As(Centre), "决定撤销"), Beijing(2026, 2, 25, 10));

        Assert.Contains(decision.Notices, n => n.Body.Contains("原因：决定撤销", StringComparison.Ordinal));
    }

    [Fact]
    public void Reason_IsOneLine_ButANoteMayHoldLineBreaks()
    {
        Assert.NotNull(TextRules.Reason("一\n二"));
        Assert.Null(TextRules.Note("一\n二"));
        Assert.Null(TextRules.Reason(null));
        Assert.NotNull(TextRules.Reason(new string('长', TextRules.MaxNoteLength + 1)));
    }
}
