using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Groups;

/// <summary>
/// One group's state (Kafka's GroupMetadata): members, generation, chosen protocol, leader, committed offsets, and the
/// timers of its rebalance. Every read and change happens under <see cref="Lock"/>; nothing waits or does I/O while
/// holding it (appends to <c>__consumer_offsets</c> happen between two lock sections).
/// </summary>
internal sealed class Group
{
    private readonly Dictionary<string, GroupMember> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _staticMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _supportedProtocols = new(StringComparer.Ordinal);
    private int _awaitingJoin;

    public Group(string groupId, int partition, GroupState state, long nowMs)
    {
        GroupId = groupId;
        Partition = partition;
        State = state;
        CurrentStateTimestampMs = nowMs;
    }

    public Lock Lock { get; } = new();

    public string GroupId { get; }

    /// <summary>The <c>__consumer_offsets</c> partition the group lives in.</summary>
    public int Partition { get; }

    public GroupState State { get; private set; }

    /// <summary>When the group entered its state; -1 when unknown (loaded from a record without it).</summary>
    public long CurrentStateTimestampMs { get; set; }

    public int GenerationId { get; set; }

    public string? ProtocolType { get; set; }

    public string? ProtocolName { get; set; }

    public string? LeaderId { get; set; }

    /// <summary>Topics the members subscribe to (consumer protocol only); null when unknown.</summary>
    public HashSet<string>? SubscribedTopics { get; set; }

    /// <summary>Members given an id by MEMBER_ID_REQUIRED that have not joined with it yet, with their expiry timers.</summary>
    public Dictionary<string, ITimer> PendingMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Members of the new generation that have not sent SyncGroup yet.</summary>
    public HashSet<string> PendingSyncMembers { get; } = new(StringComparer.Ordinal);

    public Dictionary<GroupTopicPartition, CommittedOffset> Offsets { get; } = [];

    /// <summary>Offset commits appended but not yet applied, per partition (they keep expiry away).</summary>
    public Dictionary<GroupTopicPartition, int> PendingOffsetCommits { get; } = [];

    // The join phase: one timer, re-armed per phase; a token tells a stale callback from the current one.
    public ITimer? JoinTimer { get; set; }
    public int JoinTimerToken { get; set; }
    public bool InInitialJoinDelay { get; set; }
    public int InitialDelayRemainingMs { get; set; }
    public int InitialDelayLastMs { get; set; }
    public bool NewMemberAdded { get; set; }

    public ITimer? SyncTimer { get; set; }
    public int SyncTimerToken { get; set; }

    public bool Is(GroupState state) => State == state;

    public bool IsConsumerGroup => ProtocolType == "consumer";

    public int Size => _members.Count;

    public bool HasMember(string memberId) => _members.ContainsKey(memberId);

    public GroupMember Member(string memberId) => _members[memberId];

    public bool TryGetMember(string memberId, out GroupMember member) => _members.TryGetValue(memberId, out member!);

    public IEnumerable<GroupMember> Members => _members.Values;

    public IEnumerable<string> MemberIds => _members.Keys;

    public int AwaitingJoinCount => _awaitingJoin;

    public bool IsLeader(string memberId) => LeaderId == memberId;

    public bool HasOffsets => Offsets.Count > 0 || PendingOffsetCommits.Count > 0;

    public string? StaticMemberId(string groupInstanceId) => _staticMembers.GetValueOrDefault(groupInstanceId);

    public bool IsPendingMember(string memberId) => PendingMembers.ContainsKey(memberId);

    public bool HasAllMembersJoined => _members.Count == _awaitingJoin && PendingMembers.Count == 0;

    public bool CanRebalance => GroupStates.CanTransition(State, GroupState.PreparingRebalance);

    /// <summary>The largest rebalance timeout among the members: how long the join phase may take.</summary>
    public int RebalanceTimeoutMs
    {
        get
        {
            int max = 0;
            foreach (GroupMember member in _members.Values)
            {
                max = Math.Max(max, member.RebalanceTimeoutMs);
            }

            return max;
        }
    }

    public void TransitionTo(GroupState state, long nowMs)
    {
        if (!GroupStates.CanTransition(State, state))
        {
            throw new InvalidOperationException($"Group {GroupId} cannot move from {State} to {state}.");
        }

        State = state;
        CurrentStateTimestampMs = nowMs;
    }

    public void Add(GroupMember member, TaskCompletionSource<JoinResult>? awaitingJoin)
    {
        if (member.GroupInstanceId is { } instanceId)
        {
            _staticMembers[instanceId] = member.MemberId;
        }

        if (_members.Count == 0)
        {
            ProtocolType = member.ProtocolType;
        }

        LeaderId ??= member.MemberId;
        _members[member.MemberId] = member;
        Count(member, +1);
        member.AwaitingJoin = awaitingJoin;
        if (awaitingJoin is not null)
        {
            _awaitingJoin++;
        }

        if (PendingMembers.Remove(member.MemberId, out ITimer? pendingTimer))
        {
            pendingTimer.Dispose();
        }
    }

    public void Remove(string memberId)
    {
        if (_members.Remove(memberId, out GroupMember? member))
        {
            Count(member, -1);
            if (member.IsAwaitingJoin)
            {
                _awaitingJoin--;
            }

            if (member.GroupInstanceId is { } instanceId)
            {
                _staticMembers.Remove(instanceId);
            }

            member.SessionTimer?.Dispose();
            member.SessionTimer = null;
        }

        if (IsLeader(memberId))
        {
            LeaderId = _members.Count > 0 ? _members.Keys.First() : null;
        }

        if (PendingMembers.Remove(memberId, out ITimer? pendingTimer))
        {
            pendingTimer.Dispose();
        }

        PendingSyncMembers.Remove(memberId);
    }

    /// <summary>
    /// Replaces a member's protocols and timeouts; <paramref name="awaitingJoin"/> null takes it out of the join
    /// (the caller answers the request it was waiting with).
    /// </summary>
    public void UpdateMember(GroupMember member, IReadOnlyList<(string Name, byte[] Metadata)> protocols, int rebalanceTimeoutMs,
        int sessionTimeoutMs, TaskCompletionSource<JoinResult>? awaitingJoin)
    {
        Count(member, -1);
        member.Protocols = protocols;
        Count(member, +1);
        member.RebalanceTimeoutMs = rebalanceTimeoutMs;
        member.SessionTimeoutMs = sessionTimeoutMs;
        if (awaitingJoin is not null && !member.IsAwaitingJoin)
        {
            _awaitingJoin++;
        }
        else if (awaitingJoin is null && member.IsAwaitingJoin)
        {
            _awaitingJoin--;
        }

        // A join sent again while the first still waits (the client timed it out): the first is answered now, or it
        // would hold back every later response on its connection, which are answered in order.
        if (awaitingJoin is not null && member.AwaitingJoin is { } superseded && !ReferenceEquals(superseded, awaitingJoin))
        {
            superseded.TrySetResult(JoinResult.Failed(member.MemberId, ErrorCode.RebalanceInProgress));
        }

        member.AwaitingJoin = awaitingJoin;
    }

    /// <summary>Answers the member's waiting JoinGroup, if any.</summary>
    public void CompleteJoin(GroupMember member, JoinResult result)
    {
        if (member.CompleteJoin(result))
        {
            _awaitingJoin--;
        }
    }

    /// <summary>
    /// KIP-345: a static member that rejoins with a new member id takes over the old one's place (and assignment); a
    /// request still waiting under the old id is fenced.
    /// </summary>
    public GroupMember ReplaceStaticMember(string groupInstanceId, string oldMemberId, string newMemberId)
    {
        if (!_members.Remove(oldMemberId, out GroupMember? member))
        {
            throw new InvalidOperationException($"Cannot replace unknown member {oldMemberId}.");
        }

        CompleteJoin(member, JoinResult.Failed(oldMemberId, ErrorCode.FencedInstanceId));
        member.CompleteSync(SyncResult.Failed(ErrorCode.FencedInstanceId));
        member.MemberId = newMemberId;
        _members[newMemberId] = member;
        if (IsLeader(oldMemberId))
        {
            LeaderId = newMemberId;
        }

        if (PendingSyncMembers.Remove(oldMemberId))
        {
            PendingSyncMembers.Add(newMemberId);
        }

        _staticMembers[groupInstanceId] = newMemberId;
        return member;
    }

    /// <summary>
    /// A member may join when the group's protocol type is the same and it supports at least one protocol every
    /// current member supports (an empty group accepts any non-empty type and protocol list).
    /// </summary>
    public bool SupportsProtocols(string protocolType, IReadOnlyList<(string Name, byte[] Metadata)> protocols)
    {
        if (Is(GroupState.Empty))
        {
            return protocolType.Length > 0 && protocols.Count > 0;
        }

        if (ProtocolType != protocolType)
        {
            return false;
        }

        foreach ((string name, _) in protocols)
        {
            if (_supportedProtocols.GetValueOrDefault(name) == _members.Count)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The protocol every member supports that most members prefer.</summary>
    public string SelectProtocol()
    {
        if (_members.Count == 0)
        {
            throw new InvalidOperationException("Cannot select a protocol for an empty group.");
        }

        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, int count) in _supportedProtocols)
        {
            if (count == _members.Count)
            {
                candidates.Add(name);
            }
        }

        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        string? best = null;
        foreach (GroupMember member in _members.Values)
        {
            string vote = member.Vote(candidates);
            int count = votes[vote] = votes.GetValueOrDefault(vote) + 1;
            if (best is null || count > votes[best])
            {
                best = vote;
            }
        }

        return best!;
    }

    /// <summary>When the leader did not rejoin, any member that did becomes leader. False when none rejoined.</summary>
    public bool MaybeElectNewJoinedLeader()
    {
        if (LeaderId is null)
        {
            return false;
        }

        if (_members[LeaderId].IsAwaitingJoin)
        {
            return true;
        }

        foreach (GroupMember member in _members.Values)
        {
            if (member.IsAwaitingJoin)
            {
                LeaderId = member.MemberId;
                return true;
            }
        }

        return false;
    }

    /// <summary>Starts the next generation: CompletingRebalance with a chosen protocol, or Empty when no member is left.</summary>
    public void InitNextGeneration(long nowMs)
    {
        GenerationId++;
        if (_members.Count > 0)
        {
            ProtocolName = SelectProtocol();
            SubscribedTopics = ComputeSubscribedTopics();
            TransitionTo(GroupState.CompletingRebalance, nowMs);
        }
        else
        {
            ProtocolName = null;
            SubscribedTopics = ComputeSubscribedTopics();
            TransitionTo(GroupState.Empty, nowMs);
        }

        PendingSyncMembers.Clear();
    }

    /// <summary>The members with their chosen protocol's metadata, for the leader's JoinGroup response.</summary>
    public List<JoinedMember> CurrentMemberMetadata()
    {
        var result = new List<JoinedMember>(_members.Count);
        foreach (GroupMember member in _members.Values)
        {
            result.Add(new JoinedMember(member.MemberId, member.GroupInstanceId, member.MetadataFor(ProtocolName!) ?? []));
        }

        return result;
    }

    /// <summary>
    /// True when a consumer group's members subscribe to <paramref name="topic"/>; also true when that is unknown
    /// (the subscriptions did not parse), to be safe.
    /// </summary>
    public bool IsSubscribedToTopic(string topic) => SubscribedTopics?.Contains(topic) ?? true;

    /// <summary>
    /// The union of the members' subscribed topics when the protocol type is "consumer", parsed with the consumer
    /// protocol's version-0 prefix (which every later version keeps); null when unknown.
    /// </summary>
    public HashSet<string>? ComputeSubscribedTopics()
    {
        if (ProtocolType != "consumer")
        {
            return null;
        }

        if (_members.Count == 0)
        {
            return [];
        }

        if (ProtocolName is null)
        {
            return null;
        }

        var topics = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (GroupMember member in _members.Values)
            {
                byte[]? metadata = member.MetadataFor(ProtocolName);
                if (metadata is null || metadata.Length < 2)
                {
                    return null;
                }

                var reader = new KafkaReader(metadata.AsMemory(2));
                var subscription = new ConsumerProtocolSubscription();
                subscription.Read(ref reader, 0);
                topics.UnionWith(subscription.Topics);
            }
        }
        catch (Exception e) when (e is KafkaProtocolException or InvalidOperationException or ArgumentException)
        {
            return null;
        }

        return topics;
    }

    public GroupSummary Summary()
    {
        var members = new List<MemberSummary>(_members.Count);
        bool stable = Is(GroupState.Stable);
        foreach (GroupMember member in _members.Values)
        {
            members.Add(new MemberSummary(member.MemberId, member.GroupInstanceId, member.ClientId, member.ClientHost,
                stable ? member.MetadataFor(ProtocolName!) ?? [] : [], stable ? member.Assignment : []));
        }

        return new GroupSummary(GroupStates.Name(State), ProtocolType ?? "", stable ? ProtocolName ?? "" : "", members);
    }

    public GroupOverview Overview() => new(GroupId, ProtocolType ?? "", GroupStates.Name(State));

    private void Count(GroupMember member, int delta)
    {
        foreach ((string name, _) in member.Protocols)
        {
            _supportedProtocols[name] = _supportedProtocols.GetValueOrDefault(name) + delta;
        }
    }
}
