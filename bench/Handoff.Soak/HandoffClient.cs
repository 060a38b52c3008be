using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Handoff.Soak;

/// <summary>
/// The API as a careful client uses it: each request goes to a random running process; a refused or dropped connection, a timeout, a
/// 5xx or a 202 is retried — a command with the same <c>Idempotency-Key</c> — until the API gives a final answer.
/// </summary>
public sealed class HandoffClient(Cluster cluster, SoakClock clock, Random random) : IDisposable
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(15);
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(3),
        PooledConnectionLifetime = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private readonly SemaphoreSlim _inFlight = new(16, 16);
    private long _requests;
    private long _connectionFailures;
    private long _serverErrors;
    private long _accepted;

    public long Requests => Interlocked.Read(ref _requests);

    public long ConnectionFailures => Interlocked.Read(ref _connectionFailures);

    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>
    /// POSTs a command until it is answered for good: 200/201 with the case, or a 4xx problem. <see cref="Answer.At"/> is the workflow
    /// instant of that answer — every attempt, and so the instant the API received the step it applied, came before it.
    /// </summary>
    public async Task<Answer> CommandAsync(string organisation, string path, object? body, string idempotencyKey, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var attempts = 0;
        while (true)
        {
            attempts++;
            var (status, json) = await OnceAsync(HttpMethod.Post, organisation, path, body ?? new { }, idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (status is HttpStatusCode.OK or HttpStatusCode.Created || (status is { } s && (int)s is >= 400 and < 500))
            {
                return new Answer(status, json, clock.Now, attempts);
            }

            if (watch.Elapsed > GiveUpAfter)
            {
                return new Answer(null, default, clock.Now, attempts);
            }

            // 202: raised but not yet applied — ask again with the same key, as a client would. Anything else: the request may or
            // may not have been accepted; the same key makes the retry safe.
            await Task.Delay(Backoff(attempts), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>GETs until answered: the JSON on 200, null on 404.</summary>
    public async Task<JsonElement?> GetAsync(string organisation, string path, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        for (var attempts = 1; ; attempts++)
        {
            var (status, json) = await OnceAsync(HttpMethod.Get, organisation, path, null, null, cancellationToken).ConfigureAwait(false);
            switch (status)
            {
                case HttpStatusCode.OK:
                    return json;
                case HttpStatusCode.NotFound:
                    return null;
            }

            if (watch.Elapsed > GiveUpAfter)
            {
                throw new TimeoutException($"GET {path} unanswered for {GiveUpAfter}.");
            }

            await Task.Delay(Backoff(attempts), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One attempt at one process. A null status: no answer (refused, reset, timed out).</summary>
    public async Task<(HttpStatusCode? Status, JsonElement Body)> OnceAsync(
        HttpMethod method, string? organisation, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken, SelfHostProcess? to = null)
    {
        var process = to ?? cluster.Pick(random);
        using var request = new HttpRequestMessage(method, new Uri(process.BaseAddress, path));
        if (organisation is not null)
        {
            request.Headers.Add("X-Api-Key", $"dev-{organisation}");
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: SoakJson.Options);
        }

        await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _requests);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if ((int)response.StatusCode >= 500)
            {
                Interlocked.Increment(ref _serverErrors);
            }
            else if (response.StatusCode == HttpStatusCode.Accepted)
            {
                Interlocked.Increment(ref _accepted);
            }

            return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException
                                       || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Interlocked.Increment(ref _connectionFailures);
            return (null, default);
        }
        catch (JsonException)
        {
            Interlocked.Increment(ref _serverErrors);
            return (null, default);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _inFlight.Dispose();
    }

    private static TimeSpan Backoff(int attempts) => TimeSpan.FromMilliseconds(Math.Min(2000, 250 * attempts));
}

/// <summary>The final answer to a command: its status (null: given up), body, and the workflow instant it came back.</summary>
public sealed record Answer(HttpStatusCode? Status, JsonElement Body, DateTimeOffset At, int Attempts)
{
    public bool Succeeded => Status is HttpStatusCode.OK or HttpStatusCode.Created;

    public string Describe() => Status is null
        ? $"no answer after {Attempts} attempts"
        : $"{(int)Status} {(Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("code", out var code) ? code.GetString() : "")}";
}
