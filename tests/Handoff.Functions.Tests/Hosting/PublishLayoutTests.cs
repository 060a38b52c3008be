using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Handoff.Development;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// The deployable folder and zip, made by the README's publish command (with build output kept out of the repository): the isolated
/// worker (Handoff.Functions.dll and, self-contained, its executable), what the host reads (host.json, functions.metadata,
/// worker.config.json, extensions.json and the extensions in .azurefunctions/), the calendar and the sample directory, and never
/// local.settings.json.
/// </summary>
public class PublishLayoutTests
{
    [Fact]
    public async Task Publish_FunctionApp_HasTheLayoutTheFunctionsHostReads()
    {
        var root = AzuriteLauncher.FindRepositoryRoot(AppContext.BaseDirectory)!;
        var temp = Directory.CreateTempSubdirectory("handoff-publish-");
        try
        {
            var app = Path.Combine(temp.FullName, "app");
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[]
                     {
                         "publish", "functions/Handoff.Functions", "-c", "Release", "-r", "linux-x64", "--self-contained",
                         "--artifacts-path", Path.Combine(temp.FullName, "build"), "-o", app, "-p:FunctionAppZip=true", "-nologo",
                     })
            {
                start.ArgumentList.Add(arg);
            }

            using var publish = Process.Start(start)!;
            var output = publish.StandardOutput.ReadToEndAsync();
            var errors = publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            Assert.True(publish.ExitCode == 0, await output + await errors);

            foreach (var file in new[] { "host.json", "functions.metadata", "worker.config.json", "extensions.json", "Handoff.Functions.dll", "directory.sample.json", Path.Combine("openapi", "v1.json") })
            {
                Assert.True(File.Exists(Path.Combine(app, file)), $"{file} is missing");
            }

            Assert.False(File.Exists(Path.Combine(app, "local.settings.json")), "local.settings.json must never be published");
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(app, "calendar"), "*.json"));

            // The pages' stylesheet and scripts, which the pages' own route serves (the worker serves no static files).
            foreach (var asset in Handoff.Pages.Infrastructure.PageAssets.Files.Keys)
            {
                Assert.True(File.Exists(Path.Combine(app, "assets", asset)), $"assets/{asset} is missing");
            }

            // The host-side extensions the worker's bindings need, restored by the SDK (no extension bundle): each one extensions.json
            // names is in .azurefunctions/.
            var extensions = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(app, "extensions.json")))!["extensions"]!.AsArray();
            var names = extensions.Select(e => (string)e!["name"]!).ToList();
            Assert.Contains("DurableTask", names);
            Assert.Contains("AzureStorageQueues", names);
            foreach (var extension in extensions)
            {
                var hint = (string)extension!["hintPath"]!;
                Assert.StartsWith("./.azurefunctions/", hint, StringComparison.Ordinal);
                Assert.True(File.Exists(Path.Combine(app, hint)), $"{hint} is missing");
            }

            // Self-contained: worker.config.json starts the worker's own executable, which must be executable.
            var worker = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(app, "worker.config.json")))!["description"]!;
            Assert.Equal("true", worker["workerIndexing"]!.ToString(), ignoreCase: true);
            Assert.Equal("{WorkerRoot}Handoff.Functions", (string?)worker["defaultExecutablePath"]);
            var executable = Path.Combine(app, "Handoff.Functions");
            Assert.True(File.Exists(executable), "the worker executable is missing");
            Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute));
            Assert.True(File.Exists(Path.Combine(app, "libcoreclr.so")), "not self-contained");

            // The functions the host would index from the published file.
            var functions = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(app, "functions.metadata")))!.AsArray()
                .Select(f => (string)f!["name"]!).ToList();
            Assert.Contains("GetCase", functions);
            Assert.Contains("SupervisorPage", functions);
            Assert.Contains("CaseOrchestration", functions);

            using var zip = ZipFile.OpenRead(Path.Combine(temp.FullName, "functionapp.zip"));
            var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToHashSet();
            foreach (var entry in new[] { "host.json", "functions.metadata", "worker.config.json", "extensions.json", "Handoff.Functions.dll", "Handoff.Functions" })
            {
                Assert.Contains(entry, entries);
            }

            Assert.Contains(entries, e => e.StartsWith(".azurefunctions/", StringComparison.Ordinal));
            Assert.DoesNotContain("local.settings.json", entries);
            Assert.Equal(0b111_101_101, (zip.GetEntry("Handoff.Functions")!.ExternalAttributes >> 16) & 0b111_111_111);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
