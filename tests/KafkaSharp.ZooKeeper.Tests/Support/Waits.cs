namespace KafkaSharp.ZooKeeper.Tests.Support;

/// <summary>Bounds for every wait in the tests: a hung test fails after these rather than hanging the run.</summary>
public static class Waits
{
    /// <summary>For things that should happen promptly (a reply, a watch).</summary>
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(10);

    /// <summary>For things that involve failover, elections or session timeouts.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(40);
}
