using System.Security.Cryptography;
using Handoff.Core.Cases;
using Handoff.Storage.Infrastructure;
using Handoff.Storage.Protection;
using Handoff.Testing;
using static Handoff.Testing.TestData;

namespace Handoff.Storage.Tests.Protection;

[Collection(AzuriteCollection.Name)]
public class IdNumberProtectorTests(AzuriteFixture azurite)
{
    private static readonly IdNumberProtector Protector = new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Protect_RoundTrips_AndNeverRepeatsCiphertext()
    {
        var a = Protector.Protect("441426199003071234");
        var b = Protector.Protect("441426199003071234");

        Assert.NotEqual(a, b);
        Assert.Equal("441426199003071234", Protector.Unprotect(a));
        Assert.DoesNotContain("441426", a);
    }

    [Fact]
    public void Unprotect_TamperedOrOtherKey_Throws()
    {
        var value = Protector.Protect("441426199003071234");
        var bytes = Convert.FromBase64String(value[3..]);
        bytes[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => Protector.Unprotect("v1:" + Convert.ToBase64String(bytes)));
        Assert.ThrowsAny<CryptographicException>(() => new IdNumberProtector(RandomNumberGenerator.GetBytes(32)).Unprotect(value));
    }

    [Fact]
    public void Lookup_IsStablePerKeyAndDiffersAcrossKeys()
    {
        Assert.Equal(Protector.Lookup("441426199003071234"), Protector.Lookup("441426199003071234"));
        Assert.NotEqual(Protector.Lookup("441426199003071234"), new IdNumberProtector(RandomNumberGenerator.GetBytes(32)).Lookup("441426199003071234"));
    }

    [Fact]
    public void Constructor_KeyNot32Bytes_Throws() =>
        Assert.Throws<ArgumentException>(() => new IdNumberProtector(new byte[16]));

    [Fact]
    public async Task ClearIdNumber_AppearsNowhereInStorageOrQueues()
    {
        await azurite.ClearQueuesAsync();
        var rt = new Stores(azurite.ConnectionString);
        var id = UniqueIdNumber();
        var register = rt.Register(id, new DateOnly(2026, 2, 24));
        await rt.ApplyAsync(register.CaseId, register, Beijing(2026, 2, 20, 9));
        await rt.ApplyAsync(register.CaseId, new RecordRelease(As(Centre), Beijing(2026, 2, 24, 9), new CollectedBy(CollectorKind.None, null)), Beijing(2026, 2, 24, 9));

        var texts = new List<string>();
        foreach (var table in StorageNames.Tables)
        {
            await foreach (var entity in rt.Clients.Table(table).QueryAsync<Azure.Data.Tables.TableEntity>())
            {
                texts.AddRange(((IDictionary<string, object>)entity).Values.Select(v => v?.ToString() ?? ""));
                texts.Add(entity.PartitionKey + entity.RowKey);
            }
        }

        foreach (var queue in StorageNames.Queues)
        {
            texts.AddRange((await rt.Clients.Queue(queue).PeekMessagesAsync(32)).Value.Select(m => m.Body.ToString()));
        }

        Assert.Contains(texts, t => t.Contains(register.Person.MaskedIdNumber, StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains(id, StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains(id[..10], StringComparison.Ordinal) && !t.Contains("**", StringComparison.Ordinal));
    }
}
