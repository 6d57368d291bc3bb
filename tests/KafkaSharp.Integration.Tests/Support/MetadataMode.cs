using KafkaSharp.ZooKeeper;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.Integration.Tests.Support;

/// <summary>
/// ZooKeeper mode runs every server these tests start as a single-broker cluster through one real ZooKeeper for the
/// test process, each server under a chroot of its own (so servers never see each other's topics). An assembly
/// compiled with ZOOKEEPER_METADATA (KafkaSharp.Integration.ZooKeeperMode.Tests) always runs in it; any other runs in
/// it when KAFKASHARP_TEST_METADATA=zookeeper, and otherwise keeps each server's metadata embedded in its data dir.
/// </summary>
public static class MetadataMode
{
    public const string Variable = "KAFKASHARP_TEST_METADATA";

    private static readonly SemaphoreSlim s_start = new(1, 1);
    private static ZooKeeperServerProcess? s_zookeeper;

#if ZOOKEEPER_METADATA
    public static bool ZooKeeper => true;
#else
    public static bool ZooKeeper =>
        string.Equals(Environment.GetEnvironmentVariable(Variable), "zookeeper", StringComparison.OrdinalIgnoreCase);
#endif

    /// <summary>The broker settings that put a new server in the chosen mode (none for embedded).</summary>
    public static async Task<string[]> SettingsForNewServerAsync()
    {
        if (!ZooKeeper)
        {
            return [];
        }

        await s_start.WaitAsync();
        try
        {
            s_zookeeper ??= await ZooKeeperServerProcess.StartStandaloneAsync();
        }
        finally
        {
            s_start.Release();
        }

        string chroot = $"/kafkasharp-{Guid.NewGuid():N}";
        await using (ZooKeeperClient zk = await ZooKeeperClient.ConnectAsync(s_zookeeper.ConnectString))
        {
            await zk.EnsurePathExistsAsync(chroot);
        }

        return [$"zookeeper.connect={s_zookeeper.ConnectString}{chroot}", "broker.id=0", "zookeeper.session.timeout.ms=6000"];
    }
}
