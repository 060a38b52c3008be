using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Handoff.Storage.Infrastructure;

/// <summary>
/// The table and queue clients, built once from a connection string or from account endpoints with a token credential
/// (managed identity in Azure). Extra pipeline policies let benchmarks count requests and tests inject faults.
/// </summary>
public sealed class StorageClients
{
    private StorageClients(TableServiceClient tables, QueueServiceClient queues)
    {
        Tables = tables;
        Queues = queues;
    }

    public TableServiceClient Tables { get; }

    public QueueServiceClient Queues { get; }

    public TableClient Table(string name) => Tables.GetTableClient(name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    /// <param name="perRetry">Optional: builds a policy per service ("table" or "queue") that sees every attempt (request counting).</param>
    /// <param name="perCall">Optional: likewise, outside the SDK's retries (fault injection in tests).</param>
    /// <param name="observer">Optional: one more per-attempt policy, given to a host from outside (the benchmark attributes requests to
    /// callers with it). None in production.</param>
    public static StorageClients FromConnectionString(
        string connectionString, Func<string, HttpPipelinePolicy>? perRetry = null, Func<string, HttpPipelinePolicy>? perCall = null,
        Func<string, HttpPipelinePolicy>? observer = null)
    {
        var (tableOptions, queueOptions) = Options(perRetry, perCall, observer);
        return new StorageClients(
            new TableServiceClient(connectionString, tableOptions),
            new QueueServiceClient(connectionString, queueOptions));
    }

    public static StorageClients FromEndpoints(
        Uri tableEndpoint, Uri queueEndpoint, TokenCredential credential, Func<string, HttpPipelinePolicy>? perRetry = null,
        Func<string, HttpPipelinePolicy>? observer = null)
    {
        var (tableOptions, queueOptions) = Options(perRetry, null, observer);
        return new StorageClients(
            new TableServiceClient(tableEndpoint, credential, tableOptions),
            new QueueServiceClient(queueEndpoint, credential, queueOptions));
    }

    /// <summary>Creates every table and queue that does not exist yet. Idempotent.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var table in StorageNames.Tables)
        {
            await Tables.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        }

        foreach (var queue in StorageNames.Queues)
        {
            await Queues.GetQueueClient(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static (TableClientOptions, QueueClientOptions) Options(
        Func<string, HttpPipelinePolicy>? perRetry, Func<string, HttpPipelinePolicy>? perCall, Func<string, HttpPipelinePolicy>? observer)
    {
        var tableOptions = new TableClientOptions();
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        foreach (var (options, service) in new (ClientOptions, string)[] { (tableOptions, "table"), (queueOptions, "queue") })
        {
            // Bounded SDK retries: a command retries as a whole (it re-reads the case), so deep retries here only add latency.
            options.Retry.MaxRetries = 3;
            options.Retry.Delay = TimeSpan.FromMilliseconds(200);
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
            if (perRetry is not null)
            {
                options.AddPolicy(perRetry(service), HttpPipelinePosition.PerRetry);
            }

            if (observer is not null)
            {
                options.AddPolicy(observer(service), HttpPipelinePosition.PerRetry);
            }

            if (perCall is not null)
            {
                options.AddPolicy(perCall(service), HttpPipelinePosition.PerCall);
            }
        }

        return (tableOptions, queueOptions);
    }
}
