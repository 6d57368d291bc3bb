namespace KafkaSharp.Broker.Groups;

/// <summary>
/// One member of a classic group (Kafka's MemberMetadata). Mutated only under its group's lock. A member waiting in
/// JoinGroup or SyncGroup holds the completion its request awaits; completions run continuations asynchronously, so
/// completing one under the lock never runs the response writer inside it.
/// </summary>
internal sealed class GroupMember
{
    public GroupMember(string memberId, string? groupInstanceId, string clientId, string clientHost,
        int rebalanceTimeoutMs, int sessionTimeoutMs, string protocolType, IReadOnlyList<(string Name, byte[] Metadata)> protocols)
    {
        MemberId = memberId;
        GroupInstanceId = groupInstanceId;
        ClientId = clientId;
        ClientHost = clientHost;
        RebalanceTimeoutMs = rebalanceTimeoutMs;
        SessionTimeoutMs = sessionTimeoutMs;
        ProtocolType = protocolType;
        Protocols = protocols;
    }

    public string MemberId { get; set; }

    public string? GroupInstanceId { get; }

    public bool IsStatic => GroupInstanceId is not null;

    public string ClientId { get; }

    public string ClientHost { get; }

    public int RebalanceTimeoutMs { get; set; }

    public int SessionTimeoutMs { get; set; }

    public string ProtocolType { get; }

    /// <summary>The protocols (assignors) the member supports, in its order of preference, with their metadata.</summary>
    public IReadOnlyList<(string Name, byte[] Metadata)> Protocols { get; set; }

    public byte[] Assignment { get; set; } = [];

    public TaskCompletionSource<JoinResult>? AwaitingJoin { get; set; }

    public TaskCompletionSource<SyncResult>? AwaitingSync { get; set; }

    public bool IsAwaitingJoin => AwaitingJoin is not null;

    public bool IsAwaitingSync => AwaitingSync is not null;

    /// <summary>A member added in the current rebalance: its join may expire before it ever heartbeats.</summary>
    public bool IsNew { get; set; }

    /// <summary>When the member's session ends unless it heartbeats (ms since the epoch).</summary>
    public long SessionDeadlineMs { get; set; }

    public ITimer? SessionTimer { get; set; }

    public byte[]? MetadataFor(string protocol)
    {
        foreach ((string name, byte[] metadata) in Protocols)
        {
            if (name == protocol)
            {
                return metadata;
            }
        }

        return null;
    }

    /// <summary>Same protocols, in the same order, with the same metadata (a rejoin that changes nothing).</summary>
    public bool Matches(IReadOnlyList<(string Name, byte[] Metadata)> protocols)
    {
        if (protocols.Count != Protocols.Count)
        {
            return false;
        }

        for (int i = 0; i < protocols.Count; i++)
        {
            if (protocols[i].Name != Protocols[i].Name || !protocols[i].Metadata.AsSpan().SequenceEqual(Protocols[i].Metadata))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The member's vote: its most preferred protocol among those every member supports.</summary>
    public string Vote(IReadOnlySet<string> candidates)
    {
        foreach ((string name, _) in Protocols)
        {
            if (candidates.Contains(name))
            {
                return name;
            }
        }

        throw new InvalidOperationException($"Member {MemberId} does not support any of the candidate protocols.");
    }

    /// <summary>Completes the waiting JoinGroup, if any.</summary>
    public bool CompleteJoin(JoinResult result)
    {
        TaskCompletionSource<JoinResult>? waiting = AwaitingJoin;
        AwaitingJoin = null;
        return waiting?.TrySetResult(result) ?? false;
    }

    /// <summary>Completes the waiting SyncGroup, if any.</summary>
    public bool CompleteSync(SyncResult result)
    {
        TaskCompletionSource<SyncResult>? waiting = AwaitingSync;
        AwaitingSync = null;
        return waiting?.TrySetResult(result) ?? false;
    }
}
