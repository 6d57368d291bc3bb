using KafkaSharp.Protocol;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Groups;

public sealed partial class GroupCoordinator
{
    // Everything here runs under the group's lock.

    private void MaybePrepareRebalance(Group group, string reason, Deferred after)
    {
        if (group.CanRebalance)
        {
            PrepareRebalance(group, reason, after);
        }
    }

    /// <summary>
    /// Starts a join phase. A group leaving Empty waits group.initial.rebalance.delay.ms first (extended while new
    /// members keep arriving, up to the rebalance timeout) so a starting fleet forms one generation, not many.
    /// </summary>
    private void PrepareRebalance(Group group, string reason, Deferred after)
    {
        if (group.Is(GroupState.CompletingRebalance))
        {
            ResetAndPropagateAssignmentError(group, ErrorCode.RebalanceInProgress);
        }

        CancelSyncExpiry(group);
        bool initial = group.Is(GroupState.Empty);
        group.TransitionTo(GroupState.PreparingRebalance, NowMs);
        Log.PreparingRebalance(_logger, group.GroupId, group.GenerationId, reason);
        if (initial)
        {
            int delay = _config().InitialRebalanceDelayMs;
            group.InInitialJoinDelay = true;
            group.InitialDelayLastMs = delay;
            group.InitialDelayRemainingMs = Math.Max(group.RebalanceTimeoutMs - delay, 0);
            ScheduleJoinExpiry(group, delay);
        }
        else
        {
            group.InInitialJoinDelay = false;
            ScheduleJoinExpiry(group, group.RebalanceTimeoutMs);
            TryCompleteJoin(group, after);
        }
    }

    private void ScheduleJoinExpiry(Group group, long delayMs)
    {
        int token = ++group.JoinTimerToken;
        group.JoinTimer?.Dispose();
        group.JoinTimer = StartTimer(() => OnJoinExpiry(group, token), delayMs);
    }

    private void OnJoinExpiry(Group group, int token)
    {
        var after = new Deferred();
        lock (group.Lock)
        {
            if (token != group.JoinTimerToken || !group.Is(GroupState.PreparingRebalance))
            {
                return;
            }

            if (group.InInitialJoinDelay && group.NewMemberAdded && group.InitialDelayRemainingMs != 0)
            {
                group.NewMemberAdded = false;
                int delay = Math.Min(_config().InitialRebalanceDelayMs, group.InitialDelayRemainingMs);
                group.InitialDelayRemainingMs = Math.Max(group.InitialDelayRemainingMs - group.InitialDelayLastMs, 0);
                group.InitialDelayLastMs = delay;
                ScheduleJoinExpiry(group, delay);
            }
            else
            {
                CompleteJoinPhase(group, after);
            }
        }

        after.RunInBackground();
    }

    /// <summary>Ends the join phase early once every member has rejoined (never during the initial delay).</summary>
    private void TryCompleteJoin(Group group, Deferred after)
    {
        if (group.Is(GroupState.PreparingRebalance) && !group.InInitialJoinDelay && group.HasAllMembersJoined)
        {
            CompleteJoinPhase(group, after);
        }
    }

    /// <summary>
    /// Kafka's onCompleteJoin: dynamic members that did not rejoin are dropped, a leader is found among those that
    /// did, and the next generation starts — every joined member gets its JoinGroup answer (the leader with the
    /// members' metadata) and must then SyncGroup within the rebalance timeout.
    /// </summary>
    private void CompleteJoinPhase(Group group, Deferred after)
    {
        ++group.JoinTimerToken;
        group.JoinTimer?.Dispose();
        group.JoinTimer = null;
        group.InInitialJoinDelay = false;

        foreach (GroupMember member in group.Members.Where(m => !m.IsAwaitingJoin && !m.IsStatic).ToList())
        {
            group.Remove(member.MemberId);
        }

        if (group.Is(GroupState.Dead))
        {
            return;
        }

        if (!group.MaybeElectNewJoinedLeader() && group.Size > 0)
        {
            // Only static members that did not rejoin are left: wait another rebalance timeout for them.
            Log.NoMemberRejoined(_logger, group.GroupId);
            ScheduleJoinExpiry(group, group.RebalanceTimeoutMs);
            return;
        }

        group.InitNextGeneration(NowMs);
        if (group.Is(GroupState.Empty))
        {
            StoreEmptyGeneration(group, after);
            return;
        }

        Log.Stabilized(_logger, group.GroupId, group.GenerationId, group.Size);
        foreach (GroupMember member in group.Members)
        {
            group.CompleteJoin(member, CurrentGenerationResult(group, member.MemberId, includeMembers: group.IsLeader(member.MemberId)));
            ScheduleSessionExpiry(group, member, member.SessionTimeoutMs);
            member.IsNew = false;
            group.PendingSyncMembers.Add(member.MemberId);
        }

        ScheduleSyncExpiry(group);
    }

    /// <summary>An Empty generation is stored too, so a restart does not bring back the members that left.</summary>
    private void StoreEmptyGeneration(Group group, Deferred after)
    {
        KafkaSharp.Protocol.Messages.GroupMetadataValue value = BuildGroupValue(group, assignment: null);
        after.Add(async () =>
        {
            ErrorCode error = await StoreGroupAsync(group, value).ConfigureAwait(false);
            if (error != ErrorCode.None)
            {
                Log.EmptyGroupNotStored(_logger, group.GroupId, error);
            }
        });
    }

    /// <summary>Members of a new generation that do not SyncGroup within the rebalance timeout are removed.</summary>
    private void ScheduleSyncExpiry(Group group)
    {
        int token = ++group.SyncTimerToken;
        int generation = group.GenerationId;
        group.SyncTimer?.Dispose();
        group.SyncTimer = StartTimer(() =>
        {
            var after = new Deferred();
            lock (group.Lock)
            {
                if (token != group.SyncTimerToken || generation != group.GenerationId
                    || group.State is not (GroupState.CompletingRebalance or GroupState.Stable) || group.PendingSyncMembers.Count == 0)
                {
                    return;
                }

                List<string> missing = [.. group.PendingSyncMembers];
                foreach (string memberId in missing)
                {
                    group.Remove(memberId);
                }

                PrepareRebalance(group, $"members {string.Join(", ", missing)} did not send SyncGroup in time", after);
            }

            after.RunInBackground();
        }, group.RebalanceTimeoutMs);
    }

    private static void CancelSyncExpiry(Group group)
    {
        group.PendingSyncMembers.Clear();
        ++group.SyncTimerToken;
        group.SyncTimer?.Dispose();
        group.SyncTimer = null;
    }

    private static void RemovePendingSyncMember(Group group, string memberId)
    {
        group.PendingSyncMembers.Remove(memberId);
        if (group.PendingSyncMembers.Count == 0)
        {
            ++group.SyncTimerToken;
            group.SyncTimer?.Dispose();
            group.SyncTimer = null;
        }
    }

    private void SetAndPropagateAssignment(Group group, IReadOnlyDictionary<string, byte[]> assignment)
    {
        foreach (GroupMember member in group.Members)
        {
            member.Assignment = assignment.GetValueOrDefault(member.MemberId) ?? [];
        }

        PropagateAssignment(group, ErrorCode.None);
    }

    private void ResetAndPropagateAssignmentError(Group group, ErrorCode error)
    {
        foreach (GroupMember member in group.Members)
        {
            member.Assignment = [];
        }

        PropagateAssignment(group, error);
    }

    private void PropagateAssignment(Group group, ErrorCode error)
    {
        bool ok = error == ErrorCode.None;
        foreach (GroupMember member in group.Members)
        {
            var result = new SyncResult(error, ok ? group.ProtocolType : null, ok ? group.ProtocolName : null, member.Assignment);
            if (member.CompleteSync(result))
            {
                // Sessions restart once the member has its answer: it could not heartbeat meaningfully before.
                ScheduleSessionExpiry(group, member, member.SessionTimeoutMs);
            }
        }
    }

    /// <summary>
    /// Arms (or re-arms) the member's session: unless it heartbeats (or joins, syncs, commits) within
    /// <paramref name="timeoutMs"/>, it is removed. One timer per member, moved forward on each heartbeat.
    /// </summary>
    private void ScheduleSessionExpiry(Group group, GroupMember member, long timeoutMs)
    {
        member.SessionDeadlineMs = NowMs + timeoutMs;
        if (member.SessionTimer is null)
        {
            member.SessionTimer = StartTimer(() => OnSessionExpiry(group, member), timeoutMs);
        }
        else
        {
            member.SessionTimer.Change(TimeSpan.FromMilliseconds(timeoutMs), Timeout.InfiniteTimeSpan);
        }
    }

    private void OnSessionExpiry(Group group, GroupMember member)
    {
        var after = new Deferred();
        lock (group.Lock)
        {
            if (group.Is(GroupState.Dead) || !group.TryGetMember(member.MemberId, out GroupMember? current) || !ReferenceEquals(current, member))
            {
                return;
            }

            long remaining = member.SessionDeadlineMs - NowMs;
            if (remaining > 0)
            {
                member.SessionTimer?.Change(TimeSpan.FromMilliseconds(remaining), Timeout.InfiniteTimeSpan);
                return;
            }

            // A member waiting in a join or sync has nothing to heartbeat for; a new member's join may still expire.
            if (!member.IsNew && (member.IsAwaitingJoin || member.IsAwaitingSync))
            {
                return;
            }

            Log.MemberExpired(_logger, member.MemberId, group.GroupId);
            RemoveMemberAndUpdateGroup(group, member, after);
        }

        after.RunInBackground();
    }

    private void RemoveMemberAndUpdateGroup(Group group, GroupMember member, Deferred after)
    {
        // A new member may still wait in JoinGroup: it learns it was dropped and may join again.
        group.CompleteJoin(member, JoinResult.Failed("", ErrorCode.UnknownMemberId));
        member.CompleteSync(SyncResult.Failed(ErrorCode.UnknownMemberId));
        group.Remove(member.MemberId);
        switch (group.State)
        {
            case GroupState.Stable or GroupState.CompletingRebalance:
                MaybePrepareRebalance(group, $"removing member {member.MemberId}", after);
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoin(group, after);
                break;
            default:
                break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Preparing to rebalance group {GroupId} with old generation {Generation} (reason: {Reason})")]
        public static partial void PreparingRebalance(ILogger logger, string groupId, int generation, string reason);

        [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Stabilized group {GroupId} generation {Generation} with {Members} members")]
        public static partial void Stabilized(ILogger logger, string groupId, int generation, int members);

        [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "Member {MemberId} in group {GroupId} has failed (session timeout); removing it")]
        public static partial void MemberExpired(ILogger logger, string memberId, string groupId);

        [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "Group {GroupId} could not complete its rebalance because no member rejoined")]
        public static partial void NoMemberRejoined(ILogger logger, string groupId);

        [LoggerMessage(EventId = 904, Level = LogLevel.Warning, Message = "Could not store the empty generation of group {GroupId}: {Error}")]
        public static partial void EmptyGroupNotStored(ILogger logger, string groupId, ErrorCode error);
    }
}
