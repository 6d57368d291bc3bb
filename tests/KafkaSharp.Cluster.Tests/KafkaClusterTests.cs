using System.Diagnostics;
using KafkaSharp.Cluster.TestSupport;
using KafkaSharp.Protocol;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.Cluster.Tests;

/// <summary>
/// The harness against the real thing: three KafkaSharp server processes and a ZooKeeper 3.8. A SIGKILLed broker's
/// registration expires with its session and the others notice; a killed controller is replaced with a higher
/// epoch; a restarted broker rejoins; disposal leaves no process behind.
/// </summary>
public sealed class KafkaClusterTests
{
    [Fact]
    public async Task KillAndRestartMoveTheControllerAndRegistrationsLikeARealCluster()
    {
        await using ZooKeeperServerProcess zookeeper = await ZooKeeperServerProcess.StartStandaloneAsync();
        await using KafkaCluster cluster = await KafkaCluster.StartAsync(zookeeper.ConnectString, 3);

        Assert.Equal([1, 2, 3], await cluster.RegisteredBrokersAsync());
        int controller = await cluster.WaitForControllerAsync();
        int epoch = await cluster.ControllerEpochAsync();

        // Every broker's Metadata shows the whole cluster and the same controller.
        foreach (int id in new[] { 1, 2, 3 })
        {
            // Registrations and the controller reach each broker asynchronously, not necessarily together.
            await Waits.ForAsync(() => cluster.MetadataAsync(id), m => m.Brokers.Count == 3 && m.ControllerId == controller,
                $"broker {id} to see 3 brokers and controller {controller}");
        }

        // SIGKILL the controller: no clean shutdown, so its ephemeral nodes go only when its session expires.
        int? pid = cluster[controller].ProcessId;
        await cluster.KillAsync(controller);
        Assert.False(cluster[controller].IsRunning);
        Assert.True(pid is { } p && ProcessGone(p));
        int successor = await cluster.WaitForControllerAsync(notThis: controller);
        await cluster.WaitUntilUnregisteredAsync(controller);
        Assert.True(await cluster.ControllerEpochAsync() > epoch);

        await cluster.RestartAsync(controller);
        Assert.Equal([1, 2, 3], await cluster.RegisteredBrokersAsync());
        Assert.Equal(successor, await cluster.ControllerIdAsync()); // the controller stays where it moved
    }

    [Fact]
    public async Task AddedBrokerJoinsAndStoppedBrokerLeavesAtOnce()
    {
        await using ZooKeeperServerProcess zookeeper = await ZooKeeperServerProcess.StartStandaloneAsync();
        await using KafkaCluster cluster = await KafkaCluster.StartAsync(zookeeper.ConnectString, 1);

        BrokerProcess added = await cluster.AddBrokerAsync(4);
        await cluster.WaitUntilRegisteredAsync(4);
        await Waits.UntilAsync(async () => (await cluster.MetadataAsync(1)).Brokers.Count == 2, "broker 1 to see broker 4");

        // SIGTERM: a clean stop closes the session, so the registration goes without waiting for the timeout.
        var clock = Stopwatch.StartNew();
        await added.StopAsync();
        await cluster.WaitUntilUnregisteredAsync(4);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(KafkaCluster.SessionTimeoutMs) + TimeSpan.FromSeconds(3), $"left after {clock.Elapsed}");
        Assert.Contains("exited with code 0", added.ReadLogTail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsyncLeavesNoBrokerProcessBehind()
    {
        await using ZooKeeperServerProcess zookeeper = await ZooKeeperServerProcess.StartStandaloneAsync();
        KafkaCluster cluster = await KafkaCluster.StartAsync(zookeeper.ConnectString, 2);
        int[] pids = [.. cluster.Brokers.Values.Select(b => b.ProcessId!.Value)];

        await cluster.DisposeAsync();

        Assert.All(pids, pid => Assert.True(ProcessGone(pid), $"process {pid} still runs"));
    }

    [Fact]
    public async Task StartAsyncFailsClearlyWhenABrokerCannotStart()
    {
        await using ZooKeeperServerProcess zookeeper = await ZooKeeperServerProcess.StartStandaloneAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => KafkaCluster.StartAsync(zookeeper.ConnectString, 1, "num.partitions=not-a-number"));

        Assert.Contains("num.partitions", error.ToString(), StringComparison.Ordinal);
    }

    private static bool ProcessGone(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
