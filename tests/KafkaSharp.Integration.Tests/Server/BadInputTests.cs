using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Integration.Tests.Server;

/// <summary>
/// Hostile and broken input on one socket closes that connection and nothing else: a Confluent.Kafka producer on
/// its own connection keeps producing through it, and every message it had acknowledged reads back.
/// </summary>
[Collection(nameof(ServerCollection))]
public sealed class BadInputTests(ServerFixture server)
{
    private static readonly TimeSpan s_closeWithin = TimeSpan.FromSeconds(5);

    private readonly ServerFixture _server = server;

    public static TheoryData<string> ClosingInputs() => ["garbage", "http", "two-gib-size", "negative-size", "unknown-api-key", "unsupported-metadata-version", "lying-inner-length"];

    [Theory]
    [MemberData(nameof(ClosingInputs))]
    public async Task Connection_ClosesAndOthersCarryOn_WhenInputIsInvalid(string input)
    {
        await WithProducerRunningAsync(async () =>
        {
            using RawConnection raw = await RawConnection.ConnectAsync(_server.Host.Port);
            await raw.SendAsync(BadInput(input));
            Assert.True(await raw.ClosedByServerAsync(s_closeWithin), $"{input}: the server kept the connection open");
        });
    }

    [Fact]
    public async Task Connection_ClosesAndOthersCarryOn_WhenAFrameIsTruncatedThenClosed()
    {
        await WithProducerRunningAsync(async () =>
        {
            using RawConnection raw = await RawConnection.ConnectAsync(_server.Host.Port);
            byte[] frame = RawConnection.Frame(new MetadataRequest { Topics = null }, 9, correlationId: 1);
            await raw.SendAsync(frame.AsMemory(0, frame.Length / 2));
            raw.ShutdownSend();
            Assert.True(await raw.ClosedByServerAsync(s_closeWithin));
        });
    }

    [Fact]
    public async Task Server_CarriesOn_WhenAConnectionIsResetMidRequest()
    {
        await WithProducerRunningAsync(async () =>
        {
            // Half a frame, then a reset (linger 0): the server sees the connection vanish mid-request.
            for (int i = 0; i < 20; i++)
            {
                using RawConnection raw = await RawConnection.ConnectAsync(_server.Host.Port);
                byte[] frame = RawConnection.Frame(new MetadataRequest { Topics = null }, 9, correlationId: 1);
                await raw.SendAsync(frame.AsMemory(0, 7 + i));
                raw.Reset();
            }

            using RawConnection healthy = await RawConnection.ConnectAsync(_server.Host.Port);
            // v3 names the client software, which must be non-empty (KIP-511), or the answer is INVALID_REQUEST.
            ApiVersionsResponse versions = await healthy.RequestAsync<ApiVersionsResponse>(
                new ApiVersionsRequest { ClientSoftwareName = "kafkasharp-tests", ClientSoftwareVersion = "1.0" }, 3);
            Assert.Equal(0, versions.ErrorCode);
        });
    }

    [Fact]
    public async Task ApiVersions_AnswersUnsupportedVersionAndKeepsTheConnection_WhenTheVersionIsTooNew()
    {
        using RawConnection raw = await RawConnection.ConnectAsync(_server.Host.Port);
        // KIP-511: an ApiVersions request newer than the broker knows is answered in v0 with UNSUPPORTED_VERSION
        // and the supported ranges, so the client can retry with a version both sides speak.
        // The header is v2 (ApiVersions v3+): the body starts with the header's empty tagged-field count.
        await raw.SendAsync(RawConnection.FrameWithHeader(ApiKey.ApiVersions, version: 99, correlationId: 7, body: [0]));
        byte[] frame = await raw.ReadFrameAsync() ?? throw new IOException("closed");
        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(frame));
        Assert.Equal(35, BinaryPrimitives.ReadInt16BigEndian(frame.AsSpan(4)));

        ApiVersionsResponse retried = await raw.RequestAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 0);
        Assert.Equal(0, retried.ErrorCode);
        Assert.Contains(retried.ApiKeys, k => k.ApiKey == (short)ApiKey.Metadata);
    }

    private async Task WithProducerRunningAsync(Func<Task> misbehave)
    {
        string topic = Clients.NewTopicName("bad-input");
        await Clients.CreateTopicAsync(_server.BootstrapServers, topic);
        await using ContinuousProducer producer = ContinuousProducer.Start(_server.BootstrapServers, topic);
        await producer.WaitForAcksAsync(10);

        await misbehave();

        // The producer's own connection never noticed: it keeps getting acknowledgements.
        await producer.WaitForAcksAsync(producer.AckedCount + 20);
        IReadOnlyList<(long Offset, byte[] Value)> acked = await producer.StopAsync();
        Assert.Empty(producer.Failures);

        var stored = Clients.ReadToEnd(_server.BootstrapServers, topic).ToDictionary(r => r.Offset.Value, r => r.Message.Value);
        Assert.All(acked, a => Assert.Equal(a.Value, stored[a.Offset]));
    }

    private static byte[] BadInput(string kind)
    {
        switch (kind)
        {
            case "garbage":
                // A plausible size, then bytes that are no request header.
                var garbage = new byte[4 + 64];
                BinaryPrimitives.WriteInt32BigEndian(garbage, 64);
                new Random(42).NextBytes(garbage.AsSpan(4));
                garbage[4] = 0x7F; // api key 0x7Fxx: unknown whatever the rest says
                return garbage;
            case "http":
                // Someone points a browser at the port: "GET " reads as a ~1.1 GB size.
                return Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: kafka\r\n\r\n");
            case "two-gib-size":
                return [0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];
            case "negative-size":
                return [0xFF, 0xFF, 0xFF, 0xF0, 1, 2, 3, 4];
            case "unknown-api-key":
                return RawConnection.FrameWithHeader((ApiKey)999, version: 0, correlationId: 1, body: []);
            case "unsupported-metadata-version":
                return RawConnection.FrameWithHeader(ApiKey.Metadata, version: 99, correlationId: 1, body: [0, 0, 0, 0]);
            case "lying-inner-length":
                // A Metadata v1 request whose topic array claims a million entries in a 10-byte body.
                return RawConnection.FrameWithHeader(ApiKey.Metadata, version: 1, correlationId: 1, body: [0, 0x0F, 0x42, 0x40, 0, 3, (byte)'a', (byte)'b', (byte)'c', 0]);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
