using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Groups;

public sealed partial class GroupCoordinator
{
    /// <summary>
    /// The group's metadata record value (Kafka's groupMetadataValue, v3): generation, protocol, leader, and each
    /// member with its subscription (metadata of the chosen protocol) and assignment. Built under the group's lock.
    /// </summary>
    /// <param name="assignment">The assignment to store; null stores the members' current ones.</param>
    private static GroupMetadataValue BuildGroupValue(Group group, IReadOnlyDictionary<string, byte[]>? assignment)
    {
        var value = new GroupMetadataValue
        {
            ProtocolType = group.ProtocolType ?? "",
            Generation = group.GenerationId,
            Protocol = group.ProtocolName,
            Leader = group.LeaderId,
            CurrentStateTimestamp = group.CurrentStateTimestampMs,
        };
        foreach (GroupMember member in group.Members)
        {
            value.Members.Add(new GroupMetadataValue.MemberMetadata
            {
                MemberId = member.MemberId,
                GroupInstanceId = member.GroupInstanceId,
                ClientId = member.ClientId,
                ClientHost = member.ClientHost,
                RebalanceTimeout = member.RebalanceTimeoutMs,
                SessionTimeout = member.SessionTimeoutMs,
                Subscription = (group.ProtocolName is { } protocol ? member.MetadataFor(protocol) : null) ?? [],
                Assignment = assignment is null ? member.Assignment : assignment.GetValueOrDefault(member.MemberId) ?? [],
            });
        }

        return value;
    }

    /// <summary>Appends the group's metadata record; the caller holds no lock.</summary>
    /// <remarks>
    /// Asynchronous in shape: with followers, the append will wait for the ISR (offsets.commit.required.acks=-1).
    /// With the ISR exactly this broker the record is committed when the append returns.
    /// </remarks>
    private Task<ErrorCode> StoreGroupAsync(Group group, GroupMetadataValue value)
    {
        (byte[] Key, byte[]? Value)[] records = [(GroupRecordCodec.GroupMetadataKey(group.GroupId), GroupRecordCodec.GroupMetadataValue(value))];
        return Task.FromResult(_writer.Append(group.Partition, records, isOffsetCommit: false, out _));
    }

    /// <summary>Appends offset commits (or tombstones) for one partition; returns the log offset of the first record.</summary>
    private Task<(ErrorCode Error, long FirstOffset)> AppendAsync(int partition, IReadOnlyList<(byte[] Key, byte[]? Value)> records, bool isOffsetCommit)
    {
        ErrorCode error = _writer.Append(partition, records, isOffsetCommit, out long firstOffset);
        return Task.FromResult((error, firstOffset));
    }
}
