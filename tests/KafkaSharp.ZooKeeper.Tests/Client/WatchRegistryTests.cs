using KafkaSharp.ZooKeeper.Connection;

namespace KafkaSharp.ZooKeeper.Tests.Client;

/// <summary>Which events fire which watch tables, as ZooKeeper's client decides it.</summary>
public sealed class WatchRegistryTests
{
    private readonly WatchRegistry _registry = new();
    private readonly Action<WatchedEvent> _data = _ => { };
    private readonly Action<WatchedEvent> _exist = _ => { };
    private readonly Action<WatchedEvent> _child = _ => { };

    public WatchRegistryTests()
    {
        _registry.Register(WatchKind.Data, "/n", _data);
        _registry.Register(WatchKind.Exist, "/n", _exist);
        _registry.Register(WatchKind.Child, "/n", _child);
    }

    [Fact]
    public void TriggerFiresDataAndExistWatchesWhenDataChanged()
    {
        Assert.Equal([_data, _exist], _registry.Trigger(WatchEventType.NodeDataChanged, "/n"));
        Assert.Equal(1, _registry.Count(WatchKind.Child, "/n"));
    }

    [Fact]
    public void TriggerFiresDataAndExistWatchesWhenCreated()
    {
        Assert.Equal([_data, _exist], _registry.Trigger(WatchEventType.NodeCreated, "/n"));
    }

    [Fact]
    public void TriggerFiresEveryWatchWhenDeleted()
    {
        Assert.Equal([_data, _exist, _child], _registry.Trigger(WatchEventType.NodeDeleted, "/n"));
    }

    [Fact]
    public void TriggerFiresOnlyChildWatchesWhenChildrenChanged()
    {
        Assert.Equal([_child], _registry.Trigger(WatchEventType.NodeChildrenChanged, "/n"));
        Assert.Equal(1, _registry.Count(WatchKind.Data, "/n"));
    }

    [Fact]
    public void TriggerFiresNothingWhenAlreadyFired()
    {
        _registry.Trigger(WatchEventType.NodeDeleted, "/n");

        Assert.Empty(_registry.Trigger(WatchEventType.NodeDeleted, "/n"));
    }

    [Fact]
    public void TriggerFiresWatcherOnceWhenRegisteredInTwoTablesOfSamePath()
    {
        var registry = new WatchRegistry();
        Action<WatchedEvent> both = _ => { };
        registry.Register(WatchKind.Data, "/n", both);
        registry.Register(WatchKind.Child, "/n", both);
        registry.Register(WatchKind.Data, "/n", both);

        Assert.Equal([both], registry.Trigger(WatchEventType.NodeDeleted, "/n"));
    }

    [Fact]
    public void SnapshotListsPathsPerTableWhenWatchesRemain()
    {
        _registry.Register(WatchKind.Data, "/m", _data);

        (List<string> data, List<string> exist, List<string> child) = _registry.Snapshot();

        Assert.Equal(["/m", "/n"], data.Order(StringComparer.Ordinal));
        Assert.Equal(["/n"], exist);
        Assert.Equal(["/n"], child);
    }

    [Fact]
    public void TakeAllEmptiesEveryTableWhenSessionEnds()
    {
        Assert.Equal(3, _registry.TakeAll().Count);

        (List<string> data, List<string> exist, List<string> child) = _registry.Snapshot();
        Assert.Empty(data);
        Assert.Empty(exist);
        Assert.Empty(child);
    }
}
