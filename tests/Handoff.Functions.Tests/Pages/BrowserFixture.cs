using Handoff.Development;
using Microsoft.Playwright;

namespace Handoff.Functions.Tests.Pages;

/// <summary>
/// The real self-host on a loopback port, and Debian's chromium driven by Playwright (the package cannot download browsers here:
/// <c>.ci/run</c> installs <c>chromium</c> with apt). Real-time clock: a person walks the pages as on a working day.
/// </summary>
public class BrowserFixture : ApiFixture
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    protected override bool RealServer => true;

    public IBrowser Browser { get; private set; } = default!;

    public static string Root { get; } = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;

    /// <summary>Screenshots of every page, kept with the test results (git-ignored).</summary>
    public static string Screenshots { get; } = Path.Combine(Root, "artifacts", "screenshots");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    public override async Task DisposeAsync()
    {
        try
        {
            if (_playwright is not null)
            {
                await Browser.CloseAsync();
                _playwright.Dispose();
            }
        }
        finally
        {
            await base.DisposeAsync();
        }
    }

    /// <summary>A fresh browser context (its own cookies) at a desktop's 1366×768, signed in as the organisation's duty officer.</summary>
    public async Task<IPage> SignedInAsync(string organisationId, int width = 1366, int height = 768)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress!.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/signin/dev/{organisationId}");
        return page;
    }
}

/// <summary>The same with the workflow clock 200,000 times real time: a missed 15-day report in seconds.</summary>
public sealed class FastBrowserFixture : BrowserFixture
{
    protected override double Speed => 200_000;

    protected override TimeSpan Grace => TimeSpan.FromSeconds(3);
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<FastBrowserFixture>
{
    public const string Name = "browser";
}
