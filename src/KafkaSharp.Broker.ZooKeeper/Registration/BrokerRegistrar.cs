using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.ZooKeeper.Registration;

/// <summary>
/// Keeps /brokers/ids/&lt;id&gt; (ephemeral) present for this broker's session, re-creating it after a session
/// expiry. The broker epoch is the registration znode's czxid, as in Kafka (KIP-380): it rises with every new
/// registration, so the controller can tell a restarted broker from the one it knew.
/// </summary>
public sealed partial class BrokerRegistrar(ZkSession session, BrokerNode self, TimeProvider time, ILogger logger)
{
    private long _brokerEpoch = -1;

    public BrokerNode Self => self;

    /// <summary>Raised with the new broker epoch after each (re-)registration.</summary>
    public event Action<long>? Registered;

    /// <summary>The czxid of the current registration; -1 before the first.</summary>
    public long BrokerEpoch => Interlocked.Read(ref _brokerEpoch);

    /// <summary>
    /// Registers; a live registration of the same id by another session means two brokers share an id, and this one
    /// must not start (<see cref="InvalidOperationException"/> with the owner's session).
    /// </summary>
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        ZooKeeperClient zk = session.Client;
        string path = ZkPaths.Broker(self.Id);
        byte[] data = BrokerRegistrationZNode.Encode(self, time.GetUtcNow().ToUnixTimeMilliseconds());
        try
        {
            ZNodeCreated created = await zk.CreateWithStatAsync(path, data, CreateMode.Ephemeral, cancellationToken: cancellationToken).ConfigureAwait(false);
            Interlocked.Exchange(ref _brokerEpoch, created.Stat.Czxid);
        }
        catch (NodeExistsException)
        {
            ZNodeData existing = await zk.GetDataAsync(path, cancellationToken).ConfigureAwait(false);
            if (existing.Stat.EphemeralOwner != zk.SessionId)
            {
                throw new InvalidOperationException(
                    $"Broker id {self.Id} is already registered in ZooKeeper at {path} by another live broker " +
                    $"(session 0x{existing.Stat.EphemeralOwner:x}, this is 0x{zk.SessionId:x}). Every broker needs its own broker.id.");
            }

            // Ours already: a retried create whose first reply was lost with the connection.
            Interlocked.Exchange(ref _brokerEpoch, existing.Stat.Czxid);
        }

        RegisteredAt(logger, self.Id, path, BrokerEpoch);
        Registered?.Invoke(BrokerEpoch);
        session.OnNewSessionOnce(this, ReRegisterAsync);
    }

    private async Task ReRegisterAsync(CancellationToken cancellationToken)
    {
        // The expired session's ephemeral goes with it; if the ensemble has not yet removed it, try a few times.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await RegisterAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException) when (attempt < 10)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Registered broker {BrokerId} at {Path} with broker epoch {BrokerEpoch}")]
    private static partial void RegisteredAt(ILogger logger, int brokerId, string path, long brokerEpoch);
}
