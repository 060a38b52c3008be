using Handoff.Core.People;

namespace Handoff.Core.Tests.People;

public class ResidentIdNumberTests
{
    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("11010519491231002x")]
    [InlineData("441426199003071234")]
    [InlineData("150206197811015518")]
    public void TryParse_ValidNumber_Accepts(string text)
    {
        Assert.True(ResidentIdNumber.TryParse(text, out var number, out var error), error);
        Assert.Equal(text.ToUpperInvariant(), number!.Value);
    }

    [Theory]
    [InlineData("441426199003071235", "check character")]
    [InlineData("44142619900307123", "18 characters")]
    [InlineData("4414261990030712345", "18 characters")]
    [InlineData("44142619901307123X", "birth date")]
    [InlineData("4414261990030712A4", "digits")]
    [InlineData("44142619900307123Y", "digit or X")]
    [InlineData(null, "18 characters")]
    public void TryParse_InvalidNumber_NamesTheRule(string? text, string rule)
    {
        Assert.False(ResidentIdNumber.TryParse(text, out _, out var error));
        Assert.Contains(rule, error);
    }

    [Fact]
    public void Masked_KeepsFirstFourAndLastFour()
    {
        ResidentIdNumber.TryParse("11010519491231002X", out var number, out _);

        Assert.Equal("1101**********002X", number!.Masked);
        Assert.Equal("1101**********002X", number.ToString());
    }
}
