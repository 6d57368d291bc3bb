using System.Threading.Channels;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.InterBroker;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper.Controller;

/// <summary>
/// Kafka's ControllerChannelManager: one queue and one sender per live broker, over the inter-broker channel. A
/// sender sends its requests one at a time and in order, retrying each (after a backoff) until the broker answers or
/// leaves: a broker is added when the controller sees its registration and removed when its znode goes (or a new
/// registration replaces it). Everything stops when the controller resigns.
/// </summary>
internal sealed partial class ControllerChannelManager(InterBrokerChannel channel, ILogger logger)
{
    private static readonly TimeSpan s_retryBackoff = TimeSpan.FromMilliseconds(100);

    private readonly Dictionary<int, BrokerSender> _senders = [];
    private readonly Lock _lock = new();

    public InterBrokerChannel Channel => channel;

    /// <summary>Starts a sender for <paramref name="broker"/> registered with <paramref name="brokerEpoch"/>; replaces one for an older registration.</summary>
    public void AddBroker(BrokerNode broker, long brokerEpoch)
    {
        BrokerSender? replaced = null;
        lock (_lock)
        {
            if (_senders.TryGetValue(broker.Id, out BrokerSender? existing))
            {
                if (existing.BrokerEpoch == brokerEpoch)
                {
                    return;
                }

                replaced = existing;
            }

            _senders[broker.Id] = new BrokerSender(broker, brokerEpoch, channel, logger);
        }

        replaced?.Stop();
    }

    /// <summary>Stops the broker's sender (its queued requests are dropped) and closes the connection to it.</summary>
    public void RemoveBroker(int brokerId)
    {
        BrokerSender? sender;
        lock (_lock)
        {
            _senders.Remove(brokerId, out sender);
        }

        if (sender is not null)
        {
            sender.Stop();
            _ = channel.RemoveAsync(brokerId).AsTask();
        }
    }

    /// <summary>Queues <paramref name="request"/> for the broker; false when it has no sender (not live).</summary>
    public bool Enqueue(int brokerId, ControllerRequest request)
    {
        lock (_lock)
        {
            return _senders.TryGetValue(brokerId, out BrokerSender? sender) && sender.Enqueue(request);
        }
    }

    /// <summary>The controller resigned or stops: every sender stops; queued requests are dropped.</summary>
    public void StopAll()
    {
        List<BrokerSender> senders;
        lock (_lock)
        {
            senders = [.. _senders.Values];
            _senders.Clear();
        }

        foreach (BrokerSender sender in senders)
        {
            sender.Stop();
        }
    }

    /// <summary>Kafka's RequestSendThread for one broker.</summary>
    private sealed class BrokerSender : IDisposable
    {
        private readonly Channel<ControllerRequest> _queue = System.Threading.Channels.Channel.CreateUnbounded<ControllerRequest>(new UnboundedChannelOptions { SingleReader = true });
        private readonly CancellationTokenSource _stop = new();
        private readonly BrokerNode _broker;
        private readonly InterBrokerChannel _channel;
        private readonly ILogger _logger;

        public BrokerSender(BrokerNode broker, long brokerEpoch, InterBrokerChannel channel, ILogger logger)
        {
            _broker = broker;
            BrokerEpoch = brokerEpoch;
            _channel = channel;
            _logger = logger;
            _ = Task.Run(RunAsync, CancellationToken.None);
        }

        public long BrokerEpoch { get; }

        public bool Enqueue(ControllerRequest request) => _queue.Writer.TryWrite(request);

        public void Stop() => Dispose();

        public void Dispose()
        {
            _queue.Writer.TryComplete();
            _stop.Cancel();
            _stop.Dispose();
        }

        private async Task RunAsync()
        {
            CancellationToken stop = _stop.Token;
            try
            {
                await foreach (ControllerRequest request in _queue.Reader.ReadAllAsync(stop).ConfigureAwait(false))
                {
                    await SendUntilAnsweredAsync(request, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (ObjectDisposedException)
            {
                // The channel closed: the controller is going away.
            }
        }

        private async Task SendUntilAnsweredAsync(ControllerRequest request, CancellationToken stop)
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    BrokerConnection connection = _channel.For(_broker);
                    if (await connection.NegotiatedVersionAsync(request.Template, stop).ConfigureAwait(false) is not { } version)
                    {
                        Unsupported(_logger, request, _broker.Id);
                        return;
                    }

                    IApiMessage response = await connection.SendAsync<IApiMessage>(request.Build(version), version, stop).ConfigureAwait(false);
                    (ErrorCode error, IReadOnlyList<string> failed) = request.Errors(response);
                    if (error != ErrorCode.None)
                    {
                        Refused(_logger, request, _broker.Id, request.ControllerEpoch, error.ToString());
                    }
                    else if (failed.Count > 0)
                    {
                        PartitionsFailed(_logger, request, _broker.Id, string.Join(", ", failed));
                    }
                    else
                    {
                        Sent(_logger, request, _broker.Id, version, request.ControllerEpoch);
                    }

                    if (error == ErrorCode.None)
                    {
                        request.Answered(response);
                    }

                    return;
                }
                catch (BrokerConnectionException e) when (!stop.IsCancellationRequested)
                {
                    if (attempt % 20 == 0)
                    {
                        Retrying(_logger, request, _broker.Id, e.Message);
                    }

                    await Task.Delay(s_retryBackoff, stop).ConfigureAwait(false);
                }
                catch (UnsupportedVersionException)
                {
                    Unsupported(_logger, request, _broker.Id);
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 240, Level = LogLevel.Debug, Message = "Sent {Request} to broker {BrokerId} (v{Version}, controller epoch {Epoch})")]
    private static partial void Sent(ILogger logger, ControllerRequest request, int brokerId, short version, int epoch);

    [LoggerMessage(EventId = 241, Level = LogLevel.Warning, Message = "Broker {BrokerId} refused {Request} of controller epoch {Epoch}: {Error}")]
    private static partial void Refused(ILogger logger, ControllerRequest request, int brokerId, int epoch, string error);

    [LoggerMessage(EventId = 242, Level = LogLevel.Warning, Message = "{Request} to broker {BrokerId}: partitions failed: {Failed}")]
    private static partial void PartitionsFailed(ILogger logger, ControllerRequest request, int brokerId, string failed);

    [LoggerMessage(EventId = 243, Level = LogLevel.Information, Message = "{Request} to broker {BrokerId} not delivered yet, retrying: {Reason}")]
    private static partial void Retrying(ILogger logger, ControllerRequest request, int brokerId, string reason);

    [LoggerMessage(EventId = 244, Level = LogLevel.Error, Message = "Broker {BrokerId} does not support {Request}; dropped")]
    private static partial void Unsupported(ILogger logger, ControllerRequest request, int brokerId);
}
