using System.Collections.Concurrent;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.InterBroker;

/// <summary>
/// Connections to the other brokers, one <see cref="BrokerConnection"/> per broker id, made on first use. The
/// controller sends LeaderAndIsr, UpdateMetadata and StopReplica through it; followers will send Fetch.
/// Thread-safe; disposing closes every connection and fails what is in flight.
/// </summary>
public sealed class InterBrokerChannel : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, BrokerConnection> _connections = new();
    private readonly InterBrokerOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private volatile bool _disposed;

    public InterBrokerChannel(InterBrokerOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _loggerFactory = loggerFactory;
        _time = time ?? TimeProvider.System;
    }

    public InterBrokerOptions Options => _options;

    /// <summary>The connection to <paramref name="broker"/>, pointed at its current registration.</summary>
    public BrokerConnection For(BrokerNode broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ObjectDisposedException.ThrowIf(_disposed, this);
        BrokerConnection connection = _connections.GetOrAdd(broker.Id, static (_, state) =>
            new BrokerConnection(state.broker, state.self._options, state.self._loggerFactory.CreateLogger<BrokerConnection>(), state.self._time),
            (broker, self: this));
        if (!ReferenceEquals(connection.Node, broker) && connection.Node != broker)
        {
            connection.UpdateNode(broker);
        }

        return connection;
    }

    /// <summary>Sends to <paramref name="broker"/>; see <see cref="BrokerConnection.SendAsync{TResponse}(IApiMessage, CancellationToken)"/>.</summary>
    public Task<TResponse> SendAsync<TResponse>(BrokerNode broker, IApiMessage request, CancellationToken cancellationToken = default)
        where TResponse : class, IApiMessage =>
        For(broker).SendAsync<TResponse>(request, cancellationToken);

    /// <summary>As above, at most at <paramref name="maxVersion"/> (the highest both brokers support below it).</summary>
    public Task<TResponse> SendAsync<TResponse>(BrokerNode broker, IApiMessage request, short maxVersion, CancellationToken cancellationToken = default)
        where TResponse : class, IApiMessage =>
        For(broker).SendAsync<TResponse>(request, maxVersion, cancellationToken);

    /// <summary>Closes the connection to a broker that left the cluster (its requests in flight fail).</summary>
    public async ValueTask RemoveAsync(int brokerId)
    {
        if (_connections.TryRemove(brokerId, out BrokerConnection? connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (int id in _connections.Keys)
        {
            await RemoveAsync(id).ConfigureAwait(false);
        }
    }
}
