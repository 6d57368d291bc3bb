namespace KafkaSharp.Broker.Groups;

/// <summary>A JoinGroup as the coordinator sees it, whatever the request version.</summary>
/// <param name="RequireKnownMemberId">v4+: a new member first gets an id (MEMBER_ID_REQUIRED) and joins again with it (KIP-394).</param>
/// <param name="SupportSkippingAssignment">v9+: a rejoining static leader may be told to skip the assignment.</param>
public sealed record JoinRequest(
    string GroupId,
    string MemberId,
    string? GroupInstanceId,
    bool RequireKnownMemberId,
    bool SupportSkippingAssignment,
    string ClientId,
    string ClientHost,
    int RebalanceTimeoutMs,
    int SessionTimeoutMs,
    string ProtocolType,
    IReadOnlyList<(string Name, byte[] Metadata)> Protocols,
    string? Reason);
