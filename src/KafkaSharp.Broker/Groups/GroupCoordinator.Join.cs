using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>
    /// JoinGroup (Kafka's handleJoinGroup). The answer may wait: until every member has joined or the rebalance
    /// timeout ends the join phase (and, for a new group, the initial rebalance delay).
    /// </summary>
    public async Task<JoinResult> JoinGroupAsync(JoinRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ErrorCode error = ValidateGroupStatus(request.GroupId, allowEmptyId: false);
        if (error != ErrorCode.None)
        {
            return JoinResult.Failed(request.MemberId, error);
        }

        GroupCoordinatorConfig config = _config();
        if (request.SessionTimeoutMs < config.MinSessionTimeoutMs || request.SessionTimeoutMs > config.MaxSessionTimeoutMs)
        {
            return JoinResult.Failed(request.MemberId, ErrorCode.InvalidSessionTimeout);
        }

        bool isUnknownMember = request.MemberId.Length == 0;

        // A known member id for a group that does not exist is stale (the group expired or moved): UNKNOWN_MEMBER_ID.
        Group? group = isUnknownMember ? GetOrCreateLiveGroup(request.GroupId) : GetGroup(request.GroupId);
        if (group is null)
        {
            return JoinResult.Failed(request.MemberId, ErrorCode.UnknownMemberId);
        }

        var response = new TaskCompletionSource<JoinResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var after = new Deferred();
        lock (group.Lock)
        {
            if (!AcceptJoiningMember(group, request.MemberId, config.MaxSize))
            {
                if (group.TryGetMember(request.MemberId, out GroupMember? evicted))
                {
                    RemoveMemberAndUpdateGroup(group, evicted, after);
                }

                response.TrySetResult(JoinResult.Failed("", ErrorCode.GroupMaxSizeReached));
            }
            else if (isUnknownMember)
            {
                DoNewMemberJoin(group, request, response, after);
            }
            else
            {
                DoCurrentMemberJoin(group, request, response, after);
            }

            if (group.Is(GroupState.PreparingRebalance))
            {
                TryCompleteJoin(group, after);
            }
        }

        await after.RunAsync().ConfigureAwait(false);
        return await response.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// group.max.size: new members are refused once the group is full. While preparing a rebalance the members that
    /// already rejoined count, so the last ones to rejoin of an over-full group are the ones left out.
    /// </summary>
    private static bool AcceptJoiningMember(Group group, string memberId, int maxSize) => group.State switch
    {
        GroupState.Empty or GroupState.Dead => true,
        GroupState.PreparingRebalance =>
            (group.TryGetMember(memberId, out GroupMember? member) && member.IsAwaitingJoin) || group.AwaitingJoinCount < maxSize,
        _ => group.HasMember(memberId) || group.Size < maxSize,
    };

    private void DoNewMemberJoin(Group group, JoinRequest request, TaskCompletionSource<JoinResult> response, Deferred after)
    {
        if (group.Is(GroupState.Dead))
        {
            // Deleted or unloaded while we looked it up: the client finds the coordinator again and retries.
            response.TrySetResult(JoinResult.Failed("", ErrorCode.CoordinatorNotAvailable));
            return;
        }

        if (!group.SupportsProtocols(request.ProtocolType, request.Protocols))
        {
            response.TrySetResult(JoinResult.Failed("", ErrorCode.InconsistentGroupProtocol));
            return;
        }

        string newMemberId = (request.GroupInstanceId ?? request.ClientId) + "-" + Guid.NewGuid().ToString("D");
        if (request.GroupInstanceId is { } instanceId)
        {
            if (group.StaticMemberId(instanceId) is { } oldMemberId)
            {
                UpdateStaticMemberAndRebalance(group, oldMemberId, newMemberId, instanceId, request, response, after);
            }
            else
            {
                AddMemberAndRebalance(group, request, newMemberId, response, after);
            }
        }
        else if (request.RequireKnownMemberId)
        {
            // KIP-394: the member is told its id and must join again with it; until then it is only pending.
            AddPendingMember(group, newMemberId, request.SessionTimeoutMs);
            response.TrySetResult(JoinResult.Failed(newMemberId, ErrorCode.MemberIdRequired));
        }
        else
        {
            AddMemberAndRebalance(group, request, newMemberId, response, after);
        }
    }

    private void DoCurrentMemberJoin(Group group, JoinRequest request, TaskCompletionSource<JoinResult> response, Deferred after)
    {
        string memberId = request.MemberId;
        if (group.Is(GroupState.Dead))
        {
            response.TrySetResult(JoinResult.Failed(memberId, ErrorCode.CoordinatorNotAvailable));
            return;
        }

        if (!group.SupportsProtocols(request.ProtocolType, request.Protocols))
        {
            response.TrySetResult(JoinResult.Failed(memberId, ErrorCode.InconsistentGroupProtocol));
            return;
        }

        if (group.IsPendingMember(memberId))
        {
            // Pending members are dynamic by construction; Kafka treats a static one here as a broken client.
            if (request.GroupInstanceId is not null)
            {
                response.TrySetResult(JoinResult.Failed(memberId, ErrorCode.UnknownServerError));
                return;
            }

            AddMemberAndRebalance(group, request, memberId, response, after);
            return;
        }

        ErrorCode error = ValidateCurrentMember(group, memberId, request.GroupInstanceId);
        if (error != ErrorCode.None)
        {
            response.TrySetResult(JoinResult.Failed(memberId, error));
            return;
        }

        GroupMember member = group.Member(memberId);
        switch (group.State)
        {
            case GroupState.PreparingRebalance:
                UpdateMemberAndRebalance(group, member, request, response, after);
                break;
            case GroupState.CompletingRebalance:
                if (member.Matches(request.Protocols))
                {
                    // The member missed its JoinGroup response: answer again with the current generation.
                    response.TrySetResult(CurrentGenerationResult(group, memberId, includeMembers: group.IsLeader(memberId)));
                }
                else
                {
                    UpdateMemberAndRebalance(group, member, request, response, after);
                }

                break;
            case GroupState.Stable:
                if (group.IsLeader(memberId) || !member.Matches(request.Protocols))
                {
                    // A leader's join forces a rebalance: that is how it reacts to changes outside member metadata.
                    UpdateMemberAndRebalance(group, member, request, response, after);
                }
                else
                {
                    response.TrySetResult(CurrentGenerationResult(group, memberId, includeMembers: false));
                }

                break;
            default:
                response.TrySetResult(JoinResult.Failed(memberId, ErrorCode.UnknownMemberId));
                break;
        }
    }

    private static JoinResult CurrentGenerationResult(Group group, string memberId, bool includeMembers, string? leaderId = null, bool skipAssignment = false) =>
        new(ErrorCode.None, memberId, group.GenerationId, group.ProtocolType, group.ProtocolName, leaderId ?? group.LeaderId ?? "",
            skipAssignment, includeMembers ? group.CurrentMemberMetadata() : []);

    /// <summary>
    /// Static membership: the instance id must map to this member id (FENCED_INSTANCE_ID for another one,
    /// UNKNOWN_MEMBER_ID when the instance is unknown); a dynamic member must exist.
    /// </summary>
    private static ErrorCode ValidateCurrentMember(Group group, string memberId, string? groupInstanceId)
    {
        if (groupInstanceId is not null)
        {
            string? current = group.StaticMemberId(groupInstanceId);
            if (current is null)
            {
                return ErrorCode.UnknownMemberId;
            }

            if (current != memberId)
            {
                return ErrorCode.FencedInstanceId;
            }
        }

        return group.HasMember(memberId) ? ErrorCode.None : ErrorCode.UnknownMemberId;
    }

    private void AddMemberAndRebalance(Group group, JoinRequest request, string memberId, TaskCompletionSource<JoinResult> response, Deferred after)
    {
        var member = new GroupMember(memberId, request.GroupInstanceId, request.ClientId, request.ClientHost,
            request.RebalanceTimeoutMs, request.SessionTimeoutMs, request.ProtocolType, request.Protocols)
        {
            IsNew = true,
        };

        // A member joining during a new group's initial delay extends that delay (up to the rebalance timeout).
        if (group.Is(GroupState.PreparingRebalance) && group.GenerationId == 0)
        {
            group.NewMemberAdded = true;
        }

        group.Add(member, response);

        // A new member cannot heartbeat before its JoinGroup answers; if the client gave up, it is dropped after this.
        ScheduleSessionExpiry(group, member, NewMemberJoinTimeoutMs);
        MaybePrepareRebalance(group, $"adding new member {memberId} with group instance id {request.GroupInstanceId}; client reason: {request.Reason}", after);
    }

    private void UpdateMemberAndRebalance(Group group, GroupMember member, JoinRequest request, TaskCompletionSource<JoinResult> response, Deferred after)
    {
        group.UpdateMember(member, request.Protocols, request.RebalanceTimeoutMs, request.SessionTimeoutMs, response);
        MaybePrepareRebalance(group, $"member {member.MemberId} rejoining in {group.State}; client reason: {request.Reason}", after);
    }

    /// <summary>
    /// KIP-345: a known static member restarted (new member id, same instance id). In a Stable group whose protocol
    /// would not change it takes its old place and assignment without a rebalance, once the new member id is stored.
    /// </summary>
    private void UpdateStaticMemberAndRebalance(Group group, string oldMemberId, string newMemberId, string instanceId, JoinRequest request,
        TaskCompletionSource<JoinResult> response, Deferred after)
    {
        string? currentLeader = group.LeaderId;
        GroupMember member = group.ReplaceStaticMember(instanceId, oldMemberId, newMemberId);
        ScheduleSessionExpiry(group, member, member.SessionTimeoutMs);
        int oldRebalanceTimeout = member.RebalanceTimeoutMs;
        int oldSessionTimeout = member.SessionTimeoutMs;
        IReadOnlyList<(string Name, byte[] Metadata)> oldProtocols = member.Protocols;
        group.UpdateMember(member, request.Protocols, request.RebalanceTimeoutMs, request.SessionTimeoutMs, response);

        switch (group.State)
        {
            case GroupState.Stable:
                if (group.ProtocolName == group.SelectProtocol())
                {
                    GroupMetadataValue value = BuildGroupValue(group, assignment: null);
                    int generation = group.GenerationId;
                    after.Add(async () =>
                    {
                        ErrorCode error = await StoreGroupAsync(group, value).ConfigureAwait(false);
                        lock (group.Lock)
                        {
                            if (error != ErrorCode.None)
                            {
                                // Not stored: undo the replacement so the old member id stays valid.
                                group.UpdateMember(member, oldProtocols, oldRebalanceTimeout, oldSessionTimeout, null);
                                if (group.HasMember(newMemberId))
                                {
                                    GroupMember restored = group.ReplaceStaticMember(instanceId, newMemberId, oldMemberId);
                                    ScheduleSessionExpiry(group, restored, restored.SessionTimeoutMs);
                                }

                                response.TrySetResult(new JoinResult(error, "", generation, group.ProtocolType, group.ProtocolName, currentLeader ?? ""));
                            }
                            else if (request.SupportSkippingAssignment)
                            {
                                // v9+: the leader learns it leads but must not run the assignor in a Stable group.
                                bool isLeader = group.IsLeader(newMemberId);
                                group.CompleteJoin(member, CurrentGenerationResult(group, newMemberId, includeMembers: isLeader, skipAssignment: isLeader));
                            }
                            else
                            {
                                // Before v9 the old leader id is returned so a restarted leader does not assign again.
                                group.CompleteJoin(member, CurrentGenerationResult(group, newMemberId, includeMembers: false, leaderId: currentLeader));
                            }
                        }
                    });
                }
                else
                {
                    MaybePrepareRebalance(group, $"static member {newMemberId} ({instanceId}) rejoined with protocols that change the group's", after);
                }

                break;
            case GroupState.CompletingRebalance:
                // The leader may already have assigned to the old member id: start over.
                PrepareRebalance(group, $"static member {newMemberId} ({instanceId}) rejoined during CompletingRebalance", after);
                break;
            default:
                break; // PreparingRebalance: it simply takes part in the join
        }
    }

    /// <summary>KIP-394: a pending member that does not join with its id within its session timeout is forgotten.</summary>
    private void AddPendingMember(Group group, string memberId, int sessionTimeoutMs)
    {
        ITimer timer = StartTimer(() =>
        {
            var after = new Deferred();
            lock (group.Lock)
            {
                if (!group.Is(GroupState.Dead) && group.IsPendingMember(memberId))
                {
                    RemovePendingMember(group, memberId, after);
                }
            }

            after.RunInBackground();
        }, sessionTimeoutMs);
        group.PendingMembers[memberId] = timer;
    }

    private void RemovePendingMember(Group group, string memberId, Deferred after)
    {
        group.Remove(memberId);
        if (group.Is(GroupState.PreparingRebalance))
        {
            TryCompleteJoin(group, after);
        }
    }
}
