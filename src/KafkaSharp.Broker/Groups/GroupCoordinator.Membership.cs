using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>
    /// SyncGroup (Kafka's handleSyncGroup). Followers wait for the leader's assignment; the leader's is stored in
    /// <c>__consumer_offsets</c> before anyone gets it, and the group becomes Stable.
    /// </summary>
    public async Task<SyncResult> SyncGroupAsync(string groupId, int generationId, string memberId, string? groupInstanceId,
        string? protocolType, string? protocolName, IReadOnlyDictionary<string, byte[]> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        ErrorCode error = ValidateGroupStatus(groupId, allowEmptyId: false);
        if (error == ErrorCode.CoordinatorLoadInProgress)
        {
            // The rebalance state was lost with the old coordinator: rejoin (older clients do not expect LOAD_IN_PROGRESS).
            return SyncResult.Failed(ErrorCode.RebalanceInProgress);
        }

        if (error != ErrorCode.None)
        {
            return SyncResult.Failed(error);
        }

        Group? group = GetGroup(groupId);
        if (group is null)
        {
            return SyncResult.Failed(ErrorCode.UnknownMemberId);
        }

        var response = new TaskCompletionSource<SyncResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var after = new Deferred();
        lock (group.Lock)
        {
            error = ValidateSync(group, generationId, memberId, groupInstanceId, protocolType, protocolName);
            if (error != ErrorCode.None)
            {
                return SyncResult.Failed(error);
            }

            switch (group.State)
            {
                case GroupState.Empty:
                    return SyncResult.Failed(ErrorCode.UnknownMemberId);
                case GroupState.PreparingRebalance:
                    return SyncResult.Failed(ErrorCode.RebalanceInProgress);
                case GroupState.CompletingRebalance:
                    GroupMember member = group.Member(memberId);

                    // A sync sent again while the first still waits: answer the first (responses go out in order).
                    member.CompleteSync(SyncResult.Failed(ErrorCode.RebalanceInProgress));
                    member.AwaitingSync = response;
                    RemovePendingSyncMember(group, memberId);
                    if (group.IsLeader(memberId))
                    {
                        // Members the leader left out get an empty assignment.
                        var assignment = new Dictionary<string, byte[]>(StringComparer.Ordinal);
                        foreach (string id in group.MemberIds)
                        {
                            assignment[id] = assignments.GetValueOrDefault(id) ?? [];
                        }

                        GroupMetadataValue value = BuildGroupValue(group, assignment);
                        after.Add(() => StoreAssignmentAsync(group, generationId, memberId, value, assignment));
                    }

                    break;
                case GroupState.Stable:
                    RemovePendingSyncMember(group, memberId);
                    GroupMember stable = group.Member(memberId);
                    ScheduleSessionExpiry(group, stable, stable.SessionTimeoutMs);
                    return new SyncResult(ErrorCode.None, group.ProtocolType, group.ProtocolName, stable.Assignment);
                default:
                    return SyncResult.Failed(ErrorCode.CoordinatorNotAvailable);
            }
        }

        await after.RunAsync().ConfigureAwait(false);
        return await response.Task.ConfigureAwait(false);
    }

    private async Task StoreAssignmentAsync(Group group, int generationId, string leaderId, GroupMetadataValue value, Dictionary<string, byte[]> assignment)
    {
        ErrorCode error = await StoreGroupAsync(group, value).ConfigureAwait(false);
        var after = new Deferred();
        lock (group.Lock)
        {
            // A member may have joined while the record was written; then this generation is already over.
            if (group.Is(GroupState.CompletingRebalance) && group.GenerationId == generationId)
            {
                if (error != ErrorCode.None)
                {
                    ResetAndPropagateAssignmentError(group, error);
                    MaybePrepareRebalance(group, $"error {error} storing the assignment of leader {leaderId}", after);
                }
                else
                {
                    SetAndPropagateAssignment(group, assignment);
                    group.TransitionTo(GroupState.Stable, NowMs);
                }
            }
        }

        await after.RunAsync().ConfigureAwait(false);
    }

    private static ErrorCode ValidateSync(Group group, int generationId, string memberId, string? groupInstanceId, string? protocolType, string? protocolName)
    {
        if (group.Is(GroupState.Dead))
        {
            return ErrorCode.CoordinatorNotAvailable;
        }

        ErrorCode error = ValidateCurrentMember(group, memberId, groupInstanceId);
        if (error != ErrorCode.None)
        {
            return error;
        }

        if (generationId != group.GenerationId)
        {
            return ErrorCode.IllegalGeneration;
        }

        if ((protocolType is not null && protocolType != group.ProtocolType) || (protocolName is not null && protocolName != group.ProtocolName))
        {
            return ErrorCode.InconsistentGroupProtocol;
        }

        return ErrorCode.None;
    }

    /// <summary>Heartbeat (Kafka's handleHeartbeat): keeps the session alive and tells the member about rebalances.</summary>
    public ErrorCode Heartbeat(string groupId, string memberId, string? groupInstanceId, int generationId)
    {
        ErrorCode error = ValidateGroupStatus(groupId, allowEmptyId: false);
        if (error == ErrorCode.CoordinatorLoadInProgress)
        {
            return ErrorCode.None; // the group is loading: answer blindly, as Kafka does
        }

        if (error != ErrorCode.None)
        {
            return error;
        }

        Group? group = GetGroup(groupId);
        if (group is null)
        {
            return ErrorCode.UnknownMemberId;
        }

        lock (group.Lock)
        {
            if (group.Is(GroupState.Dead))
            {
                return ErrorCode.CoordinatorNotAvailable;
            }

            error = ValidateCurrentMember(group, memberId, groupInstanceId);
            if (error != ErrorCode.None)
            {
                return error;
            }

            if (generationId != group.GenerationId)
            {
                return ErrorCode.IllegalGeneration;
            }

            if (group.Is(GroupState.Empty))
            {
                return ErrorCode.UnknownMemberId;
            }

            GroupMember member = group.Member(memberId);
            ScheduleSessionExpiry(group, member, member.SessionTimeoutMs);
            return group.Is(GroupState.PreparingRebalance) ? ErrorCode.RebalanceInProgress : ErrorCode.None;
        }
    }

    /// <summary>
    /// LeaveGroup (Kafka's handleLeaveGroup): members by id, or (KIP-345, admin removal) static members by instance
    /// id with an empty member id. Returns the top-level error and one result per member.
    /// </summary>
    public async Task<(ErrorCode Error, List<LeaveResult> Members)> LeaveGroupAsync(string groupId, IReadOnlyList<(string MemberId, string? GroupInstanceId)> leaving)
    {
        ArgumentNullException.ThrowIfNull(leaving);
        ErrorCode error = ValidateGroupStatus(groupId, allowEmptyId: false);
        if (error != ErrorCode.None)
        {
            return (error, []);
        }

        Group? group = GetGroup(groupId);
        if (group is null)
        {
            return (ErrorCode.None, [.. leaving.Select(m => new LeaveResult(m.MemberId, m.GroupInstanceId, ErrorCode.UnknownMemberId))]);
        }

        var results = new List<LeaveResult>(leaving.Count);
        var after = new Deferred();
        lock (group.Lock)
        {
            if (group.Is(GroupState.Dead))
            {
                return (ErrorCode.CoordinatorNotAvailable, []);
            }

            foreach ((string memberId, string? instanceId) in leaving)
            {
                results.Add(new LeaveResult(memberId, instanceId, LeaveOne(group, memberId, instanceId, after)));
            }
        }

        await after.RunAsync().ConfigureAwait(false);
        return (ErrorCode.None, results);
    }

    private ErrorCode LeaveOne(Group group, string memberId, string? instanceId, Deferred after)
    {
        if (memberId.Length == 0)
        {
            if (instanceId is not null && group.StaticMemberId(instanceId) is { } current)
            {
                RemoveMemberAndUpdateGroup(group, group.Member(current), after);
                return ErrorCode.None;
            }

            return ErrorCode.UnknownMemberId;
        }

        if (group.IsPendingMember(memberId))
        {
            RemovePendingMember(group, memberId, after);
            return ErrorCode.None;
        }

        ErrorCode error = ValidateCurrentMember(group, memberId, instanceId);
        if (error == ErrorCode.None)
        {
            RemoveMemberAndUpdateGroup(group, group.Member(memberId), after);
        }

        return error;
    }
}
