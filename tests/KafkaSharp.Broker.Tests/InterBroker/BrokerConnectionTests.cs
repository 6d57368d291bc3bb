using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.InterBroker;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaSharp.Broker.Tests.InterBroker;

public sealed class BrokerConnectionTests
{
    private static InterBrokerOptions Options(int requestTimeoutMs = 5000, int connectTimeoutMs = 5000, int backoffMs = 20) => new()
    {
        ListenerName = "PLAINTEXT",
        ClientId = "broker-9",
        RequestTimeout = TimeSpan.FromMilliseconds(requestTimeoutMs),
        ConnectTimeout = TimeSpan.FromMilliseconds(connectTimeoutMs),
        ReconnectBackoff = TimeSpan.FromMilliseconds(backoffMs),
        ReconnectBackoffMax = TimeSpan.FromMilliseconds(backoffMs * 8),
    };

    private static BrokerNode Node(int port) => new(1, null, [new BrokerEndpoint("PLAINTEXT", "127.0.0.1", port, SecurityProtocol.Plaintext)]);

    private static BrokerConnection Connect(int port, InterBrokerOptions? options = null) =>
        new(Node(port), options ?? Options(), NullLogger.Instance);

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task SendAsyncUsesTheHighestVersionBothBrokersSupport()
    {
        await using TestBroker broker = TestBroker.Start();
        await using BrokerSocketListener listener = BrokerSocketListener.Start(broker.Broker);
        await using BrokerConnection connection = Connect(listener.Port);

        Assert.Equal(MetadataRequest.HighestVersion, await connection.NegotiatedVersionAsync(new MetadataRequest()));
        MetadataResponse metadata = await connection.SendAsync<MetadataResponse>(new MetadataRequest());
        using InterBrokerResponse<MetadataResponse> capped = await connection.SendPooledAsync<MetadataResponse>(new MetadataRequest(), maxVersion: 4);

        Assert.True(connection.IsConnected);
        Assert.Equal(broker.Broker.Config.BrokerId, Assert.Single(metadata.Brokers).NodeId);
        Assert.Equal(4, capped.Version);
        Assert.Equal(broker.Broker.Metadata.Current.ClusterId, capped.Message.ClusterId);
    }

    [Fact]
    public async Task SendAsyncFailsTheRequestThatCannotBeEncodedAtItsVersionAndRecovers()
    {
        await using TestBroker broker = TestBroker.Start();
        await using BrokerSocketListener listener = BrokerSocketListener.Start(broker.Broker);
        await using BrokerConnection connection = Connect(listener.Port);

        // Metadata v0 has no way to say "all topics" (null). The failure surfaces while the frame is being written,
        // so the connection (possibly holding half a frame) is dropped and the next request dials again.
        await Assert.ThrowsAsync<KafkaProtocolException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest { Topics = null }, maxVersion: 0));
        MetadataResponse after = await RetryAsync(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));

        Assert.Single(after.Brokers);
    }

    [Fact]
    public async Task SendAsyncKeepsManyRequestsInFlightOnOneConnection()
    {
        await using TestBroker broker = TestBroker.Start();
        await using BrokerSocketListener listener = BrokerSocketListener.Start(broker.Broker);
        await using BrokerConnection connection = Connect(listener.Port);

        Task<MetadataResponse>[] requests = [.. Enumerable.Range(0, 200).Select(_ => connection.SendAsync<MetadataResponse>(new MetadataRequest()))];
        MetadataResponse[] responses = await Task.WhenAll(requests).WaitAsync(TestClient.Timeout);

        Assert.All(responses, r => Assert.Single(r.Brokers));
        Assert.Equal(1, listener.AcceptedConnections);
    }

    [Fact]
    public async Task SendAsyncReconnectsAfterThePeerRestarts()
    {
        await using TestBroker broker = TestBroker.Start();
        BrokerSocketListener listener = BrokerSocketListener.Start(broker.Broker);
        int port = listener.Port;
        await using BrokerConnection connection = Connect(port);
        await connection.SendAsync<MetadataResponse>(new MetadataRequest());

        await listener.DisposeAsync();
        await Assert.ThrowsAnyAsync<BrokerConnectionException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));

        await using BrokerSocketListener restarted = BrokerSocketListener.Start(broker.Broker, port);
        MetadataResponse response = await RetryAsync(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));
        Assert.Single(response.Brokers);
        Assert.True(connection.IsConnected);
        Assert.Equal(1, restarted.AcceptedConnections);
    }

    [Fact]
    public async Task SendAsyncFailsAndBacksOffExponentiallyWhenThePeerIsUnreachable()
    {
        await using BrokerConnection connection = Connect(FreePort(), Options(backoffMs: 150));

        var first = await Assert.ThrowsAsync<BrokerConnectionException>(() => connection.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest()));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<BrokerConnectionException>(() => connection.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest()));
        TimeSpan second = clock.Elapsed;
        clock.Restart();
        await Assert.ThrowsAsync<BrokerConnectionException>(() => connection.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest()));
        TimeSpan third = clock.Elapsed;

        Assert.Equal(1, first.BrokerId);
        Assert.True(second >= TimeSpan.FromMilliseconds(150 * 0.8 - 10), $"second attempt after {second}");
        Assert.True(third >= TimeSpan.FromMilliseconds(300 * 0.8 - 10), $"third attempt after {third}");
    }

    [Fact]
    public async Task SendAsyncFailsWhenThePeerClosesAtOnce()
    {
        await using var server = new MisbehavingServer((socket, _) =>
        {
            socket.Close();
            return Task.CompletedTask;
        });
        await using BrokerConnection connection = Connect(server.Port);

        await Assert.ThrowsAsync<BrokerConnectionException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task SendAsyncFailsWhenTheHandshakeStalls()
    {
        await using var server = new MisbehavingServer(PeerScripts.DrainAsync);
        await using BrokerConnection connection = Connect(server.Port, Options(connectTimeoutMs: 300));

        var error = await Assert.ThrowsAsync<BrokerConnectionException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));
        Assert.Contains("within", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsyncTimesOutAndDropsTheConnectionWhenAResponseStalls()
    {
        await using var server = new MisbehavingServer(async (socket, ct) =>
        {
            await PeerScripts.AnswerApiVersionsAsync(socket, ct);
            await PeerScripts.DrainAsync(socket, ct);
        });
        await using BrokerConnection connection = Connect(server.Port, Options(requestTimeoutMs: 300));

        await Assert.ThrowsAsync<BrokerRequestTimeoutException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));
        Assert.False(connection.IsConnected);

        // The next request dials again.
        await Assert.ThrowsAsync<BrokerRequestTimeoutException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));
        Assert.Equal(2, server.Accepted);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xF0 })] // negative size
    [InlineData(new byte[] { 0x7F, 0x00, 0x00, 0x00 })] // beyond the maximum response size
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x30, 0x39 })] // correlation id nobody waits for
    public async Task SendAsyncFailsAndDropsTheConnectionWhenThePeerSendsGarbage(byte[] garbage)
    {
        await using var server = new MisbehavingServer(async (socket, ct) =>
        {
            await PeerScripts.AnswerApiVersionsAsync(socket, ct);
            await PeerScripts.ReadRequestAsync(socket, ct);
            await PeerScripts.SendRawAsync(socket, garbage, ct);
            await PeerScripts.DrainAsync(socket, ct);
        });
        await using BrokerConnection connection = Connect(server.Port);

        await Assert.ThrowsAsync<BrokerConnectionException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task SendAsyncFailsOnlyTheRequestWhoseResponseBodyIsMalformed()
    {
        await using var server = new MisbehavingServer(async (socket, ct) =>
        {
            await PeerScripts.AnswerApiVersionsAsync(socket, ct);
            RequestHeader first = (await PeerScripts.ReadRequestAsync(socket, ct))!;
            // A correctly framed response with the right correlation id and a truncated body.
            byte[] frame = [0, 0, 0, 6, .. BitConverter.GetBytes(IPAddress.HostToNetworkOrder(first.CorrelationId)), 0, 1];
            await PeerScripts.SendRawAsync(socket, frame, ct);
            RequestHeader second = (await PeerScripts.ReadRequestAsync(socket, ct))!;
            await PeerScripts.WriteResponseAsync(socket, second.CorrelationId, ApiKey.ApiVersions, second.RequestApiVersion, new ApiVersionsResponse { ErrorCode = 0 }, ct);
            await PeerScripts.DrainAsync(socket, ct);
        });
        await using BrokerConnection connection = Connect(server.Port);

        await Assert.ThrowsAsync<BrokerConnectionException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));
        ApiVersionsResponse ok = await connection.SendAsync<ApiVersionsResponse>(new ApiVersionsRequest());

        Assert.Equal(0, ok.ErrorCode);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task SendAsyncThrowsUnsupportedVersionWhenThePeerLacksTheApi()
    {
        await using var server = new MisbehavingServer(async (socket, ct) =>
        {
            await PeerScripts.AnswerApiVersionsAsync(socket, ct, ApiKey.Metadata);
            await PeerScripts.DrainAsync(socket, ct);
        });
        await using BrokerConnection connection = Connect(server.Port);

        await Assert.ThrowsAsync<UnsupportedVersionException>(() => connection.SendAsync<LeaderAndIsrResponse>(new LeaderAndIsrRequest()));
        Assert.True(connection.IsConnected);
    }

    [Fact]
    public async Task SendAsyncStopsWaitingWhenCancelled()
    {
        await using var server = new MisbehavingServer(async (socket, ct) =>
        {
            await PeerScripts.AnswerApiVersionsAsync(socket, ct);
            await PeerScripts.DrainAsync(socket, ct);
        });
        await using BrokerConnection connection = Connect(server.Port);
        await connection.NegotiatedVersionAsync(new MetadataRequest());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest(), cancel.Token));
        Assert.True(connection.IsConnected); // cancelling one request leaves the connection to the others
    }

    [Fact]
    public async Task DisposeAsyncFailsRequestsInFlight()
    {
        await using var server = new MisbehavingServer(async (socket, ct) =>
        {
            await PeerScripts.AnswerApiVersionsAsync(socket, ct);
            await PeerScripts.DrainAsync(socket, ct);
        });
        BrokerConnection connection = Connect(server.Port);
        await connection.NegotiatedVersionAsync(new MetadataRequest());
        Task<MetadataResponse> inFlight = connection.SendAsync<MetadataResponse>(new MetadataRequest());

        await connection.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => inFlight.WaitAsync(TestClient.Timeout));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));
    }

    [Fact]
    public async Task UpdateNodeRedialsWhenTheAdvertisedAddressChanges()
    {
        await using TestBroker broker = TestBroker.Start();
        await using BrokerSocketListener first = BrokerSocketListener.Start(broker.Broker);
        await using BrokerSocketListener second = BrokerSocketListener.Start(broker.Broker);
        await using BrokerConnection connection = Connect(first.Port);
        await connection.SendAsync<MetadataResponse>(new MetadataRequest());

        connection.UpdateNode(Node(second.Port));
        await RetryAsync(() => connection.SendAsync<MetadataResponse>(new MetadataRequest()));

        Assert.Equal(1, second.AcceptedConnections);
    }

    /// <summary>Retries while the connection is in backoff or the port is being re-bound (bounded).</summary>
    private static async Task<T> RetryAsync<T>(Func<Task<T>> attempt)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (BrokerConnectionException) when (deadline.Elapsed < TestClient.Timeout)
            {
                await Task.Delay(50);
            }
        }
    }
}
