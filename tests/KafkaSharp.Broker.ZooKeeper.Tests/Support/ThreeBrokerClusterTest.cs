using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Broker.ZooKeeper.Tests.Support;

/// <summary>A test class whose every test gets a fresh three-broker cluster through ZooKeeper, stopped afterwards.</summary>
public abstract class ThreeBrokerClusterTest : IAsyncLifetime
{
    private ZkCluster? _cluster;

    protected ZkCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster starts in InitializeAsync.");

    public async Task InitializeAsync()
    {
        RdKafka.EnsureLoaded();
        _cluster = await ZkCluster.StartAsync(3);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
