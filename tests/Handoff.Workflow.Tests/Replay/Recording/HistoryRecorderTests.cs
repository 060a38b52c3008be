using Handoff.Testing;

namespace Handoff.Workflow.Tests.Replay.Recording;

/// <summary>
/// Runs the recorder on the self-host's engine: the histories this build records replay, episode by episode, to what this build
/// decided — so the recorder and the replay agree on what a history is. With <c>HANDOFF_RECORD_HISTORIES=1</c> it also writes them
/// as the record of this schema's release (<c>Histories/v{schema}/</c>); committed files are not rewritten otherwise.
/// </summary>
[Collection(RecorderCollection.Name)]
public sealed class HistoryRecorderTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Record_OnTheSelfHostsEngine_HistoriesReplayToWhatTheEngineRecorded()
    {
        var stores = new Stores(azurite.ConnectionString);
        await using var engine = await SelfHostedEngine.StartAsync(azurite.ConnectionString, stores);
        var recorder = new HistoryRecorder(engine, stores);

        // One after another: each case's clock runs fast, and sharing the machine would let it run past a deadline between steps.
        Recording[] recordings = [await recorder.ReleasedWaitingForReportAsync(), await recorder.LostContactAtTheProvinceAsync(), await recorder.ContinuedAsNewAsync()];

        foreach (var recording in recordings)
        {
            ReplayAssert.ReplaysAsRecorded(recording.History);
        }

        if (HistoryRecorder.TargetFolder() is { } folder)
        {
            Assert.All(recordings, r => Assert.True(r.AsDescribed, $"{r.History.Name} did not go as described (a slow machine?): record again"));
            Directory.CreateDirectory(folder);
            foreach (var recording in recordings)
            {
                await File.WriteAllTextAsync(Path.Combine(folder, recording.History.Name + ".json"), HistoryJson.Write(recording.History));
            }
        }
    }
}
