namespace KafkaSharp.Broker.Groups;

/// <summary>
/// The classic group protocol's states (Kafka's GroupMetadata). Transitions:
/// <code>
/// Empty ──join──▶ PreparingRebalance ──all joined / rebalance timeout──▶ CompletingRebalance ──leader's sync──▶ Stable
///   ▲                 ▲   │ (no member left)                                  │ (join/leave/expiry)              │
///   └─────────────────┼───┘                                                   ▼                                  │
///                     └───────────────────────────────────────────── PreparingRebalance ◀────────────────────────┘
/// any state ──delete / unload──▶ Dead
/// </code>
/// </summary>
public enum GroupState
{
    Empty,
    PreparingRebalance,
    CompletingRebalance,
    Stable,
    Dead,
}

public static class GroupStates
{
    /// <summary>The name DescribeGroups and ListGroups show (Kafka's GroupState.toString).</summary>
    public static string Name(GroupState state) => state switch
    {
        GroupState.Empty => "Empty",
        GroupState.PreparingRebalance => "PreparingRebalance",
        GroupState.CompletingRebalance => "CompletingRebalance",
        GroupState.Stable => "Stable",
        _ => "Dead",
    };

    /// <summary>Whether <paramref name="to"/> may follow <paramref name="from"/> (Kafka's validPreviousStates).</summary>
    public static bool CanTransition(GroupState from, GroupState to) => to switch
    {
        GroupState.PreparingRebalance => from is GroupState.Stable or GroupState.CompletingRebalance or GroupState.Empty,
        GroupState.CompletingRebalance => from is GroupState.PreparingRebalance,
        GroupState.Stable => from is GroupState.CompletingRebalance,
        GroupState.Empty => from is GroupState.PreparingRebalance,
        _ => true,
    };
}
