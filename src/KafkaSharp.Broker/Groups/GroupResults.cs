using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.Groups;

/// <summary>A member as the leader's JoinGroup response lists it: its id, instance id and chosen protocol's metadata.</summary>
public sealed record JoinedMember(string MemberId, string? GroupInstanceId, byte[] Metadata);

/// <summary>What a JoinGroup answers (Kafka's JoinGroupResult).</summary>
public sealed record JoinResult(
    ErrorCode Error,
    string MemberId,
    int GenerationId = -1,
    string? ProtocolType = null,
    string? ProtocolName = null,
    string LeaderId = "",
    bool SkipAssignment = false,
    IReadOnlyList<JoinedMember>? Members = null)
{
    public static JoinResult Failed(string memberId, ErrorCode error) => new(error, memberId);
}

/// <summary>What a SyncGroup answers (Kafka's SyncGroupResult).</summary>
public sealed record SyncResult(ErrorCode Error, string? ProtocolType = null, string? ProtocolName = null, byte[]? Assignment = null)
{
    public static SyncResult Failed(ErrorCode error) => new(error);
}

/// <summary>One member's outcome in a LeaveGroup.</summary>
public sealed record LeaveResult(string MemberId, string? GroupInstanceId, ErrorCode Error);

/// <summary>A group as DescribeGroups shows it.</summary>
public sealed record GroupSummary(string State, string ProtocolType, string Protocol, IReadOnlyList<MemberSummary> Members);

public sealed record MemberSummary(string MemberId, string? GroupInstanceId, string ClientId, string ClientHost, byte[] Metadata, byte[] Assignment);

/// <summary>A group as ListGroups shows it.</summary>
public sealed record GroupOverview(string GroupId, string ProtocolType, string State);
