using Microsoft.Extensions.Logging;

namespace KafkaSharp.ZooKeeper;

/// <summary>How a <see cref="ZooKeeperClient"/> connects and keeps its session.</summary>
public sealed class ZooKeeperClientOptions
{
    /// <summary>The ensemble and optional chroot, e.g. <c>host1:2181,host2:2181/kafka</c>.</summary>
    public required string ConnectString { get; init; }

    /// <summary>
    /// The session timeout to ask for. The server clamps it to its own bounds (by default 2 to 20 ticks) and the
    /// client then uses the negotiated value: it pings after a third of it without sending, and gives up on a
    /// server silent for two thirds of it.
    /// </summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(18);

    /// <summary>How long <see cref="ZooKeeperClient.ConnectAsync(ZooKeeperClientOptions, CancellationToken)"/> keeps trying the hosts before it gives up.</summary>
    public TimeSpan ConnectionTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The longest pause before a reconnect attempt. The actual pause is random in [0, this] so that the clients
    /// of a failed server do not all land on the next one at once.
    /// </summary>
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>To resume an existing session rather than start one: its id (with <see cref="SessionPassword"/>).</summary>
    public long SessionId { get; init; }

    /// <summary>The password of the session named by <see cref="SessionId"/>.</summary>
    public ReadOnlyMemory<byte> SessionPassword { get; init; }

    /// <summary>Largest reply frame accepted; a larger length field means a corrupt stream. ZooKeeper's own client allows 4 MiB.</summary>
    public int MaxFrameSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Try the hosts in a random order, as ZooKeeper's client does, so clients spread over the ensemble.</summary>
    public bool ShuffleHosts { get; init; } = true;

    public ILogger? Logger { get; init; }
}
