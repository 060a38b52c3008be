using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Handoff.Storage.Emulator;

namespace Handoff.Functions.Tests.Hosting;

/// <summary>
/// The deployable folder and zip, made by the README's publish command (with build output kept out of the repository): a
/// self-contained linux-x64 handler named as host.json says, host.json at the root, one folder per function, the calendar and
/// the directory.
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

            var host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(app, "host.json")))!;
            var executable = Path.Combine(app, (string)host["customHandler"]!["description"]!["defaultExecutablePath"]!);
            Assert.True(File.Exists(executable), "the handler executable host.json names is missing");
            Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(executable).HasFlag(UnixFileMode.UserExecute));
            foreach (var function in new[] { "Api", "WakeUps", "Webhooks" })
            {
                Assert.True(File.Exists(Path.Combine(app, function, "function.json")), $"{function}/function.json is missing");
            }

            Assert.True(File.Exists(Path.Combine(app, "directory.sample.json")));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(app, "calendar"), "*.json"));
            Assert.True(File.Exists(Path.Combine(app, "libcoreclr.so")), "not self-contained");

            using var zip = ZipFile.OpenRead(Path.Combine(temp.FullName, "functionapp.zip"));
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
            Assert.Contains("host.json", entries);
            Assert.Contains("WakeUps/function.json", entries);
            Assert.Contains("Handoff.Functions", entries);
            Assert.Equal(0b111_101_101, (zip.GetEntry("Handoff.Functions")!.ExternalAttributes >> 16) & 0b111_111_111);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
