using System.Buffers.Binary;
using System.Text;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>Group requests built from the generated messages, for tests that play a group member by hand.</summary>
public static class RawGroupRequests
{
    public const short JoinVersion = 5;
    public const short SyncVersion = 3;
    public const short HeartbeatVersion = 3;
    public const short LeaveVersion = 3;
    public const short CommitVersion = 7;
    public const short FetchVersion = 7;

    /// <summary>ConsumerProtocolAssignment v0 with no partitions: int16 version, empty topic array, null user data.</summary>
    public static readonly byte[] EmptyAssignment = [0, 0, 0, 0, 0, 0, 255, 255, 255, 255];

    /// <summary>Connects and waits until the coordinator of <paramref name="group"/> answers FindCoordinator (the
    /// offsets topic may still be loading when a test is the first to use groups).</summary>
    public static async Task<RawConnection> ConnectToCoordinatorAsync(int port, string group)
    {
        RawConnection raw = await RawConnection.ConnectAsync(port);
        FindCoordinatorResponse? found = null;
        await Eventually.TrueAsync(
            async () =>
            {
                found = await raw.RequestAsync<FindCoordinatorResponse>(new FindCoordinatorRequest { Key = group, KeyType = 0 }, 3);
                return found.ErrorCode == 0;
            },
            describe: () => $"FindCoordinator answered {(ErrorCode?)found?.ErrorCode}");
        Assert.Equal(port, found!.Port);
        return raw;
    }

    public static JoinGroupRequest Join(string group, string memberId, string protocolType, string protocol, string topic, int rebalanceTimeoutMs = 10_000) => new()
    {
        GroupId = group,
        SessionTimeoutMs = 10_000,
        RebalanceTimeoutMs = rebalanceTimeoutMs,
        MemberId = memberId,
        ProtocolType = protocolType,
        Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = protocol, Metadata = Subscription(topic) }],
    };

    /// <summary>ConsumerProtocolSubscription v0: int16 version, [string topic], nullable bytes user data.</summary>
    public static byte[] Subscription(string topic)
    {
        byte[] name = Encoding.UTF8.GetBytes(topic);
        byte[] bytes = new byte[2 + 4 + 2 + name.Length + 4];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(2), 1);
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(6), (short)name.Length);
        name.CopyTo(bytes, 8);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8 + name.Length), -1);
        return bytes;
    }

    public static OffsetCommitRequest Commit(string group, int generation, string memberId, params (string Topic, int Partition, long Offset)[] offsets) => new()
    {
        GroupId = group,
        GenerationIdOrMemberEpoch = generation,
        MemberId = memberId,
        Topics = [.. offsets.GroupBy(o => o.Topic).Select(t => new OffsetCommitRequest.OffsetCommitRequestTopic
        {
            Name = t.Key,
            Partitions = [.. t.Select(o => new OffsetCommitRequest.OffsetCommitRequestPartition { PartitionIndex = o.Partition, CommittedOffset = o.Offset })],
        })],
    };

    public static async Task<ErrorCode> HeartbeatAsync(RawConnection raw, string group, int generation, string memberId)
    {
        HeartbeatResponse response = await raw.RequestAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = group, GenerationId = generation, MemberId = memberId }, HeartbeatVersion);
        return (ErrorCode)response.ErrorCode;
    }

    /// <summary>
    /// A new dynamic member's join as KIP-394 has it: the first JoinGroup (no member id) is answered with
    /// MEMBER_ID_REQUIRED and an id; the second, with that id, waits for the rebalance and is returned unfinished.
    /// </summary>
    public static async Task<Task<JoinGroupResponse>> StartJoinAsNewMemberAsync(RawConnection raw, string group, string topic, int rebalanceTimeoutMs)
    {
        JoinGroupResponse first = await raw.RequestAsync<JoinGroupResponse>(Join(group, "", "consumer", "range", topic, rebalanceTimeoutMs), JoinVersion);
        Assert.Equal(ErrorCode.MemberIdRequired, (ErrorCode)first.ErrorCode);
        return raw.RequestAsync<JoinGroupResponse>(Join(group, first.MemberId, "consumer", "range", topic, rebalanceTimeoutMs), JoinVersion);
    }

    public static Task<SyncGroupResponse> SyncAsync(RawConnection raw, string group, JoinGroupResponse joined) =>
        raw.RequestAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = group,
            GenerationId = joined.GenerationId,
            MemberId = joined.MemberId,
            // The leader hands every member an empty assignment; followers send none.
            Assignments = joined.Leader == joined.MemberId
                ? [.. joined.Members.Select(m => new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = m.MemberId, Assignment = EmptyAssignment })]
                : [],
        }, SyncVersion);
}
