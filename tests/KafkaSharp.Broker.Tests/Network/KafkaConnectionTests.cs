using System.Buffers.Binary;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Tests.Network;

public sealed class KafkaConnectionTests
{
    [Fact]
    public async Task RunAsync_AnswersInRequestOrder_WhenRequestsArePipelined()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        int first = client.Send(new ApiVersionsRequest(), 2);
        int second = client.Send(new MetadataRequest { Topics = null }, 9);
        int third = client.Send(new ApiVersionsRequest { ClientSoftwareName = "x", ClientSoftwareVersion = "1" }, 3);
        await client.FlushAsync();

        Assert.Equal(first, (await client.ReadResponseAsync(ApiKey.ApiVersions, 2)).CorrelationId);
        Assert.Equal(second, (await client.ReadResponseAsync(ApiKey.Metadata, 9)).CorrelationId);
        Assert.Equal(third, (await client.ReadResponseAsync(ApiKey.ApiVersions, 3)).CorrelationId);
    }

    [Fact]
    public async Task RunAsync_AnswersBothRequests_WhenTheStreamIsSplitAtEveryByteOffset()
    {
        await using TestBroker broker = TestBroker.Start();
        byte[] stream = [.. TestClient.Frame(new ApiVersionsRequest(), 1, 1), .. TestClient.Frame(new MetadataRequest { Topics = [] }, 4, 2)];
        for (int split = 1; split < stream.Length; split++)
        {
            await using TestClient client = broker.Connect();
            await client.WriteRawAsync(stream[..split]);
            await client.WriteRawAsync(stream[split..]);

            Assert.Equal(1, (await client.ReadResponseAsync(ApiKey.ApiVersions, 1)).CorrelationId);
            Assert.Equal(2, (await client.ReadResponseAsync(ApiKey.Metadata, 4)).CorrelationId);
        }
    }

    [Fact]
    public async Task RunAsync_ClosesWithoutAnswering_WhenTheStreamEndsAtAnyLengthInsideAFrame()
    {
        await using TestBroker broker = TestBroker.Start();
        byte[] frame = TestClient.Frame(new MetadataRequest { Topics = [new() { Name = "t" }] }, 9, 1);
        for (int length = 1; length < frame.Length; length++)
        {
            await using TestClient client = broker.Connect();
            await client.WriteRawAsync(frame[..length]);
            await client.CompleteAsync();

            Assert.True(await client.IsClosedAsync());
        }

        Assert.Empty(broker.Broker.Metadata.Current.TopicsByName);
    }

    [Fact]
    public async Task RunAsync_HoldsLaterResponsesOnlyOnItsConnection_WhenARequestIsSlow()
    {
        var gate = new TaskCompletionSource<IApiMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TestBroker broker = TestBroker.Start(beforeStart: b => b.Handlers.Register(new GatedHandler(gate.Task)));
        await using TestClient slow = broker.Connect();
        await using TestClient other = broker.Connect();

        int gated = slow.Send(new ListGroupsRequest(), 4);
        int after = slow.Send(new ApiVersionsRequest(), 0);
        await slow.FlushAsync();

        // Another connection is served while the first waits.
        var otherResponse = await other.RequestAsync<ApiVersionsResponse>(new ApiVersionsRequest(), 1);
        Assert.Equal(0, otherResponse.ErrorCode);

        Task<(int, IApiMessage)> pending = slow.ReadResponseAsync(ApiKey.ListGroups, 4);
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);

        gate.SetResult(new ListGroupsResponse());
        Assert.Equal(gated, (await pending).Item1);
        Assert.Equal(after, (await slow.ReadResponseAsync(ApiKey.ApiVersions, 0)).CorrelationId);
    }

    [Fact]
    public async Task RunAsync_SendsNoResponse_WhenTheHandlerReturnsNull()
    {
        await using TestBroker broker = TestBroker.Start(beforeStart: b => b.Handlers.Register(new GatedHandler(Task.FromResult<IApiMessage?>(null))));
        await using TestClient client = broker.Connect();

        client.Send(new ListGroupsRequest(), 4);
        int answered = client.Send(new ApiVersionsRequest(), 0);
        await client.FlushAsync();

        Assert.Equal(answered, (await client.ReadResponseAsync(ApiKey.ApiVersions, 0)).CorrelationId);
    }

    [Fact]
    public async Task RunAsync_ClosesWithOneLogLine_WhenTheSizeExceedsSocketRequestMaxBytes()
    {
        await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["socket.request.max.bytes"] = "1024" });
        await using TestClient client = broker.Connect();

        await client.WriteRawAsync(SizePrefix(1025));

        Assert.True(await client.IsClosedAsync());
        string line = Assert.Single(broker.Logs.MessagesAtLeast(LogLevel.Warning));
        Assert.Contains("127.0.0.1:", line, StringComparison.Ordinal);
        Assert.Contains("socket.request.max.bytes", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ClosesWithoutBuffering_WhenTheSizePrefixIs2GiB()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        long before = GC.GetTotalAllocatedBytes(precise: true);

        await client.WriteRawAsync(SizePrefix(int.MaxValue));

        Assert.True(await client.IsClosedAsync());
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 * 1024 * 1024);
    }

    [Fact]
    public async Task RunAsync_Closes_WhenTheSizeIsNegative()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        await client.WriteRawAsync(SizePrefix(-1));

        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task RunAsync_ClosesWithOneLogLine_WhenTheBodyIsGarbage()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        // A Metadata v9 header, then a body whose topic array claims more entries than the frame holds.
        byte[] frame = TestClient.Frame(new MetadataRequest { Topics = [] }, 9, 7);
        byte[] garbage = [.. frame[..^4], 0x7F, 0x7F, 0x7F, 0x01];
        BinaryPrimitives.WriteInt32BigEndian(garbage, garbage.Length - 4);
        await client.WriteRawAsync(garbage);

        Assert.True(await client.IsClosedAsync());
        string line = Assert.Single(broker.Logs.MessagesAtLeast(LogLevel.Warning));
        Assert.Contains("malformed Metadata", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Closes_WhenRandomBytesArrive()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        byte[] bytes = new byte[64];
        new Random(42).NextBytes(bytes);
        BinaryPrimitives.WriteInt32BigEndian(bytes, 60);

        await client.WriteRawAsync(bytes);

        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task RunAsync_Closes_WhenTheStreamEndsInsideAFrame()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        byte[] frame = TestClient.Frame(new ApiVersionsRequest(), 0, 1);

        await client.WriteRawAsync(frame[..(frame.Length - 3)]);
        await client.CompleteAsync();

        Assert.True(await client.IsClosedAsync());
        await client.Serving.WaitAsync(TestClient.Timeout);
    }

    [Fact]
    public async Task RunAsync_Closes_WhenTheApiKeyIsUnknown()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        byte[] frame = TestClient.Frame(new ApiVersionsRequest(), 0, 1);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), 999);

        await client.WriteRawAsync(frame);

        Assert.True(await client.IsClosedAsync());
        Assert.Contains("999", Assert.Single(broker.Logs.MessagesAtLeast(LogLevel.Warning)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Closes_WhenTheApiHasNoHandler()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();

        client.Send(new EndTxnRequest { TransactionalId = "tx" }, 0); // transactions have no handler yet
        await client.FlushAsync();

        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task RunAsync_AnswersV0WithUnsupportedVersionAndRanges_WhenApiVersionsVersionIsTooNew()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        byte[] frame = TestClient.Frame(new ApiVersionsRequest { ClientSoftwareName = "future", ClientSoftwareVersion = "9" }, 4, 77);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), 99);

        await client.WriteRawAsync(frame);
        (int correlationId, IApiMessage message) = await client.ReadResponseAsync(ApiKey.ApiVersions, 0);

        Assert.Equal(77, correlationId);
        var response = (ApiVersionsResponse)message;
        Assert.Equal((short)ErrorCode.UnsupportedVersion, response.ErrorCode);
        ApiVersionsResponse.ApiVersion apiVersions = Assert.Single(response.ApiKeys, k => k.ApiKey == (short)ApiKey.ApiVersions);
        Assert.Equal(4, apiVersions.MaxVersion);

        // The connection stays usable for the downgraded request.
        Assert.Equal(0, (await client.RequestAsync<ApiVersionsResponse>(ValidApiVersions(), 3)).ErrorCode);
    }

    [Fact]
    public async Task RunAsync_Closes_WhenAnotherApiVersionIsUnsupported()
    {
        await using TestBroker broker = TestBroker.Start();
        await using TestClient client = broker.Connect();
        byte[] frame = TestClient.Frame(new MetadataRequest(), 12, 1);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(6), 13);

        await client.WriteRawAsync(frame);

        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task RunAsync_ClosesOnlyThatConnection_WhenAHandlerThrows()
    {
        await using TestBroker broker = TestBroker.Start(beforeStart: b => b.Handlers.Register(new GatedHandler(Task.FromException<IApiMessage?>(new InvalidOperationException("boom")))));
        await using TestClient failing = broker.Connect();
        await using TestClient healthy = broker.Connect();

        failing.Send(new ListGroupsRequest(), 4);
        await failing.FlushAsync();

        Assert.True(await failing.IsClosedAsync());
        Assert.Equal(0, (await healthy.RequestAsync<ApiVersionsResponse>(ValidApiVersions(), 3)).ErrorCode);
        Assert.Single(broker.Logs.Lines, l => l.Level == LogLevel.Error);
    }

    [Fact]
    public async Task RunAsync_Closes_WhenIdleLongerThanConnectionsMaxIdleMs()
    {
        await using TestBroker broker = TestBroker.Start(new Dictionary<string, string> { ["connections.max.idle.ms"] = "200" });
        await using TestClient client = broker.Connect();
        Assert.Equal(0, (await client.RequestAsync<ApiVersionsResponse>(ValidApiVersions(), 3)).ErrorCode);

        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task StopAsync_AnswersRequestsInFlight_WhenTheBrokerShutsDown()
    {
        var gate = new TaskCompletionSource<IApiMessage?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TestBroker broker = TestBroker.Start(beforeStart: b => b.Handlers.Register(new GatedHandler(gate.Task)));
        await using TestClient client = broker.Connect();
        int correlationId = client.Send(new ListGroupsRequest(), 4);
        await client.FlushAsync();
        await Task.Delay(50);

        Task stopping = broker.StopAsync();
        gate.SetResult(new ListGroupsResponse());

        Assert.Equal(correlationId, (await client.ReadResponseAsync(ApiKey.ListGroups, 4)).CorrelationId);
        Assert.True(await client.IsClosedAsync());
        await stopping.WaitAsync(TestClient.Timeout);
        Assert.True(File.Exists(Path.Combine(broker.DataDir, Storage.LogManager.CleanShutdownFile)));
    }

    private static ApiVersionsRequest ValidApiVersions() => new() { ClientSoftwareName = "kafkasharp-tests", ClientSoftwareVersion = "1.0" };

    private static byte[] SizePrefix(int size)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, size);
        return bytes;
    }

    /// <summary>ListGroups answered by a task the test controls.</summary>
    private sealed class GatedHandler(Task<IApiMessage?> result) : RequestHandler<ListGroupsRequest>
    {
        protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, ListGroupsRequest request, CancellationToken cancellationToken) =>
            await result.WaitAsync(cancellationToken);
    }
}
