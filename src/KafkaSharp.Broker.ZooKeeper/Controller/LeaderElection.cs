using KafkaSharp.Broker.ZooKeeper.Layout;
using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.ZooKeeper.Controller;

/// <summary>
/// The controller's leadership decisions for one partition (Kafka's PartitionLeaderElectionAlgorithms and the ISR
/// adjustments of its replica state machine), as pure functions. <c>live</c> is the set of registered brokers;
/// <c>shuttingDown</c> the brokers in controlled shutdown, which may not lead and leave the ISR.
/// Every change of leader or ISR bumps the leader epoch, as Kafka's ZooKeeper-mode controller does.
/// </summary>
public static class LeaderElection
{
    /// <summary>
    /// A new partition (NewPartition → OnlinePartition): the first live replica leads; null when none is live.
    /// Kafka starts the ISR with every live replica and its leader shrinks it when followers do not fetch within
    /// replica.lag.time.max.ms. Followers do not copy data yet (replication is its own issue), so here the ISR is the
    /// leader alone from the start: the high watermark can advance, acks=all means what it says, and a failed leader
    /// is not replaced by a replica that holds none of its data (the partition goes offline until it returns).
    /// </summary>
    public static LeaderAndIsr? Initial(IReadOnlyList<int> replicas, IReadOnlySet<int> live, int controllerEpoch)
    {
        int leader = replicas.FirstOrDefault(live.Contains, LeaderAndIsr.NoLeader);
        return leader == LeaderAndIsr.NoLeader ? null : new LeaderAndIsr(leader, 0, [leader], controllerEpoch);
    }

    /// <summary>
    /// After brokers came, went or started a controlled shutdown: null when nothing changes. A leader that is gone
    /// (or shutting down) is replaced by the first replica in assignment order that is eligible and in the ISR;
    /// without one, by any eligible replica when <paramref name="uncleanAllowed"/>; otherwise a dead leader leaves the
    /// partition offline (leader -1) with the ISR kept at its last member, so it leads again when it returns, and a
    /// shutting-down leader keeps leading (the partition is reported as not moved). Dead or shutting-down followers
    /// leave the ISR.
    /// </summary>
    public static LeaderAndIsr? AfterBrokerChange(
        IReadOnlyList<int> replicas,
        LeaderAndIsr current,
        IReadOnlySet<int> live,
        IReadOnlySet<int> shuttingDown,
        bool uncleanAllowed,
        int controllerEpoch)
    {
        bool Eligible(int id) => live.Contains(id) && !shuttingDown.Contains(id);
        int[] keptIsr = [.. current.Isr.Where(Eligible)];
        if (current.Leader != LeaderAndIsr.NoLeader && Eligible(current.Leader))
        {
            return keptIsr.SequenceEqual(current.Isr) ? null : Next(current, current.Leader, keptIsr, controllerEpoch);
        }

        int candidate = replicas.FirstOrDefault(r => Eligible(r) && current.Isr.Contains(r), LeaderAndIsr.NoLeader);
        if (candidate != LeaderAndIsr.NoLeader)
        {
            return Next(current, candidate, keptIsr, controllerEpoch);
        }

        if (uncleanAllowed && replicas.FirstOrDefault(Eligible, LeaderAndIsr.NoLeader) is var unclean && unclean != LeaderAndIsr.NoLeader)
        {
            return Next(current, unclean, [unclean], controllerEpoch);
        }

        if (current.Leader != LeaderAndIsr.NoLeader && live.Contains(current.Leader))
        {
            return null; // Shutting down with nobody to take over: it keeps leading until it is gone.
        }

        // Offline. Kafka drops a dead replica from the ISR unless it is the last member.
        int[] offlineIsr = keptIsr.Length > 0 ? keptIsr : current.Isr.Count > 0 ? [current.Leader != LeaderAndIsr.NoLeader && current.Isr.Contains(current.Leader) ? current.Leader : current.Isr[^1]] : [];
        if (current.Leader == LeaderAndIsr.NoLeader && offlineIsr.SequenceEqual(current.Isr))
        {
            return null;
        }

        return Next(current, LeaderAndIsr.NoLeader, offlineIsr, controllerEpoch);
    }

    /// <summary>
    /// Preferred leader election (ElectLeaders type 0, auto.leader.rebalance.enable): the first replica leads again if
    /// it is eligible and in the ISR. ELECTION_NOT_NEEDED when it already leads, PREFERRED_LEADER_NOT_AVAILABLE otherwise.
    /// </summary>
    public static (LeaderAndIsr? Next, ErrorCode Error) Preferred(
        IReadOnlyList<int> replicas, LeaderAndIsr current, IReadOnlySet<int> live, IReadOnlySet<int> shuttingDown, int controllerEpoch)
    {
        int preferred = replicas.Count > 0 ? replicas[0] : LeaderAndIsr.NoLeader;
        if (preferred == current.Leader)
        {
            return (null, ErrorCode.ElectionNotNeeded);
        }

        if (preferred == LeaderAndIsr.NoLeader || !live.Contains(preferred) || shuttingDown.Contains(preferred) || !current.Isr.Contains(preferred))
        {
            return (null, ErrorCode.PreferredLeaderNotAvailable);
        }

        return (Next(current, preferred, current.Isr, controllerEpoch), ErrorCode.None);
    }

    /// <summary>
    /// Unclean election on request (ElectLeaders type 1): only for a partition without a live leader; an ISR member
    /// first, else any live replica. ELECTION_NOT_NEEDED when it has one, ELIGIBLE_LEADERS_NOT_AVAILABLE when none is live.
    /// </summary>
    public static (LeaderAndIsr? Next, ErrorCode Error) Unclean(
        IReadOnlyList<int> replicas, LeaderAndIsr current, IReadOnlySet<int> live, IReadOnlySet<int> shuttingDown, int controllerEpoch)
    {
        if (current.Leader != LeaderAndIsr.NoLeader && live.Contains(current.Leader))
        {
            return (null, ErrorCode.ElectionNotNeeded);
        }

        LeaderAndIsr? next = AfterBrokerChange(replicas, current, live, shuttingDown, uncleanAllowed: true, controllerEpoch);
        return next is { Leader: not LeaderAndIsr.NoLeader } ? (next, ErrorCode.None) : (null, ErrorCode.EligibleLeadersNotAvailable);
    }

    /// <summary>
    /// Completing a reassignment: the target replicas become the assignment. The leader stays when it is in the
    /// target and eligible, else the first eligible target replica leads (with the ISR at the leader alone, see
    /// <see cref="Initial"/>). Either way the leader epoch rises, as Kafka's controller bumps it at each step of a
    /// reassignment (KIP-455) so the replicas take the new replica set from LeaderAndIsr; null when no target
    /// replica can lead.
    /// </summary>
    public static LeaderAndIsr? CompleteReassignment(
        IReadOnlyList<int> target, LeaderAndIsr current, IReadOnlySet<int> live, IReadOnlySet<int> shuttingDown, int controllerEpoch)
    {
        bool Eligible(int id) => live.Contains(id) && !shuttingDown.Contains(id);
        if (target.Contains(current.Leader) && Eligible(current.Leader))
        {
            return Next(current, current.Leader, [.. current.Isr.Where(target.Contains)], controllerEpoch);
        }

        int leader = target.FirstOrDefault(Eligible, LeaderAndIsr.NoLeader);
        return leader == LeaderAndIsr.NoLeader ? null : Next(current, leader, [leader], controllerEpoch);
    }

    /// <summary>Same leader and ISR, next leader epoch: a reassignment changed the replica set (Kafka's updateLeaderEpoch).</summary>
    public static LeaderAndIsr BumpLeaderEpoch(LeaderAndIsr current, int controllerEpoch) =>
        Next(current, current.Leader, current.Isr, controllerEpoch);

    private static LeaderAndIsr Next(LeaderAndIsr current, int leader, IReadOnlyList<int> isr, int controllerEpoch) =>
        new(leader, current.LeaderEpoch + 1, isr, controllerEpoch, current.ZkVersion);
}
