using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.InterBroker;

/// <summary>
/// The channel to one other broker over its inter-broker listener, as Kafka's NetworkClient to one node: connects on
/// first use (TCP, then an ApiVersions handshake), sends each request at the highest version both brokers support,
/// keeps many requests in flight matched by correlation id, and reconnects after a failure, waiting
/// <see cref="InterBrokerOptions.ReconnectBackoff"/> doubled per consecutive failure (with ±20% jitter, capped at
/// <see cref="InterBrokerOptions.ReconnectBackoffMax"/>). A request that gets no answer within
/// <see cref="InterBrokerOptions.RequestTimeout"/> fails and drops the connection, since later responses queue behind
/// it. Thread-safe.
/// </summary>
/// <remarks>
/// Failures: <see cref="BrokerConnectionException"/> (unreachable, connection lost, protocol broken),
/// <see cref="BrokerRequestTimeoutException"/>, <see cref="UnsupportedVersionException"/> (the peer lacks the API),
/// <see cref="OperationCanceledException"/>, <see cref="ObjectDisposedException"/>. Kafka error codes inside a
/// response are the caller's to read.
/// </remarks>
public sealed partial class BrokerConnection : IAsyncDisposable
{
    private readonly InterBrokerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private BrokerNode _node;
    private BrokerSession? _session;
    private int _consecutiveFailures;
    private long _nextAttemptTimestamp;

    public BrokerConnection(BrokerNode node, InterBrokerOptions options, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _node = node;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The broker this connection dials (its latest registration).</summary>
    public BrokerNode Node => Volatile.Read(ref _node);

    /// <summary>True while a connection is open and has completed its handshake.</summary>
    public bool IsConnected => Volatile.Read(ref _session) is { IsClosed: false };

    /// <summary>
    /// Points the connection at the broker's new registration (it re-registered, maybe on another address); an open
    /// connection to an address no longer advertised is closed, so the next request dials the new one.
    /// </summary>
    public void UpdateNode(BrokerNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Id != Node.Id)
        {
            throw new ArgumentException($"Broker {node.Id} is not broker {Node.Id}.", nameof(node));
        }

        BrokerEndpoint? before = Node.EndpointFor(_options.ListenerName);
        Volatile.Write(ref _node, node);
        if (before != node.EndpointFor(_options.ListenerName))
        {
            Volatile.Read(ref _session)?.Fail(new BrokerConnectionException(node.Id, "the broker's address changed"));
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> at the highest version both sides support (at most
    /// <paramref name="maxVersion"/>) and returns the response, which the caller owns outright.
    /// </summary>
    public Task<TResponse> SendAsync<TResponse>(IApiMessage request, CancellationToken cancellationToken = default)
        where TResponse : class, IApiMessage =>
        SendAsync<TResponse>(request, short.MaxValue, cancellationToken);

    /// <summary>As <see cref="SendAsync{TResponse}(IApiMessage, CancellationToken)"/>, at most at <paramref name="maxVersion"/>.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IApiMessage request, short maxVersion, CancellationToken cancellationToken = default)
        where TResponse : class, IApiMessage
    {
        (IApiMessage response, _, _) = await SendCoreAsync(request, maxVersion, pooled: false, cancellationToken).ConfigureAwait(false);
        return Cast<TResponse>(response, request);
    }

    /// <summary>
    /// As <see cref="SendAsync{TResponse}(IApiMessage, CancellationToken)"/>, but the response's frame lives in a pooled buffer returned when the result
    /// is disposed: for responses that carry records (a follower's Fetch).
    /// </summary>
    public async Task<InterBrokerResponse<TResponse>> SendPooledAsync<TResponse>(IApiMessage request, short maxVersion = short.MaxValue, CancellationToken cancellationToken = default)
        where TResponse : class, IApiMessage
    {
        (IApiMessage response, byte[]? buffer, short version) = await SendCoreAsync(request, maxVersion, pooled: true, cancellationToken).ConfigureAwait(false);
        return new InterBrokerResponse<TResponse>(Cast<TResponse>(response, request), version, buffer!);
    }

    /// <summary>The version a request of <paramref name="apiKey"/> would go out at (connecting if needed); null when the peer lacks the API.</summary>
    public async Task<short?> NegotiatedVersionAsync(IApiMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        BrokerSession session = await GetSessionAsync(cancellationToken).ConfigureAwait(false);
        return session.Versions!.Negotiate(request);
    }

    private static TResponse Cast<TResponse>(IApiMessage response, IApiMessage request)
        where TResponse : class, IApiMessage =>
        response as TResponse ?? throw new ArgumentException(
            $"A {request.ApiKey} request is answered by {response.GetType().Name}, not {typeof(TResponse).Name}.", nameof(request));

    private async Task<(IApiMessage Response, byte[]? Buffer, short Version)> SendCoreAsync(
        IApiMessage request, short maxVersion, bool pooled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        try
        {
            BrokerSession session = await GetSessionAsync(linked.Token).ConfigureAwait(false);
            short version = session.Versions!.Negotiate(request, maxVersion)
                ?? throw new UnsupportedVersionException($"Broker {Node.Id} supports no version of {request.ApiKey} that this broker can send.");
            try
            {
                (IApiMessage response, byte[]? buffer) = await session.SendAsync(request, version, pooled, linked.Token)
                    .WaitAsync(_options.RequestTimeout, _time, CancellationToken.None).ConfigureAwait(false);
                return (response, buffer, version);
            }
            catch (TimeoutException)
            {
                var timeout = new BrokerRequestTimeoutException(Node.Id,
                    $"no response to {request.ApiKey} v{version} within {_options.RequestTimeout.TotalMilliseconds} ms; closing the connection");
                RequestTimedOut(_logger, Node.Id, request.ApiKey.ToString(), (long)_options.RequestTimeout.TotalMilliseconds);
                session.Fail(timeout);
                throw timeout;
            }
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(BrokerConnection));
        }
    }

    /// <summary>
    /// The open session, or a new one. One caller connects at a time, the others wait for its result; a connect is
    /// attempted only after the backoff of the previous failure has passed.
    /// </summary>
    private async Task<BrokerSession> GetSessionAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _session) is { IsClosed: false } open)
        {
            return open;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            BrokerSession? current = Volatile.Read(ref _session);
            if (current is { IsClosed: false })
            {
                return current;
            }

            if (current is not null)
            {
                Volatile.Write(ref _session, null);
                _ = current.DisposeAsync().AsTask();
            }

            TimeSpan wait = _time.GetElapsedTime(_time.GetTimestamp(), _nextAttemptTimestamp);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            BrokerNode node = Node;
            BrokerEndpoint endpoint = EndpointOf(node);
            try
            {
                BrokerSession session = await BrokerSession.ConnectAsync(node.Id, endpoint.Host, endpoint.Port, _options, cancellationToken).ConfigureAwait(false);
                _consecutiveFailures = 0;
                Volatile.Write(ref _session, session);
                Connected(_logger, node.Id, endpoint.Host, endpoint.Port);
                return session;
            }
            catch (BrokerConnectionException e)
            {
                TimeSpan backoff = NextBackoff();
                _nextAttemptTimestamp = _time.GetTimestamp() + (long)(backoff.TotalSeconds * _time.TimestampFrequency);
                ConnectFailed(_logger, node.Id, endpoint.Host, endpoint.Port, (long)backoff.TotalMilliseconds, e.Message);
                throw;
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private BrokerEndpoint EndpointOf(BrokerNode node)
    {
        if (_options.SecurityProtocol != SecurityProtocol.Plaintext)
        {
            throw new BrokerConnectionException(node.Id, $"the inter-broker listener {_options.ListenerName} uses {_options.SecurityProtocol}; only PLAINTEXT is supported");
        }

        return node.EndpointFor(_options.ListenerName)
            ?? throw new BrokerConnectionException(node.Id, $"the broker advertises no endpoint on listener {_options.ListenerName}");
    }

    /// <summary>Kafka's exponential reconnect backoff: base × 2^(failures-1), capped, with ±20% jitter.</summary>
    private TimeSpan NextBackoff()
    {
        _consecutiveFailures++;
        double exp = _options.ReconnectBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(_consecutiveFailures - 1, 30));
        double capped = Math.Min(exp, _options.ReconnectBackoffMax.TotalMilliseconds);
        double jitter = 1 + ((Random.Shared.NextDouble() * 0.4) - 0.2);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        await _disposed.CancelAsync().ConfigureAwait(false);
        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Interlocked.Exchange(ref _session, null) is { } session)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connectLock.Release();
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Debug, Message = "Connected to broker {BrokerId} at {Host}:{Port}")]
    private static partial void Connected(ILogger logger, int brokerId, string host, int port);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Cannot connect to broker {BrokerId} at {Host}:{Port}; next attempt in {BackoffMs} ms: {Reason}")]
    private static partial void ConnectFailed(ILogger logger, int brokerId, string host, int port, long backoffMs, string reason);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "Broker {BrokerId} did not answer {ApiKey} within {TimeoutMs} ms")]
    private static partial void RequestTimedOut(ILogger logger, int brokerId, string apiKey, long timeoutMs);
}
