using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Groups;

/// <summary>
/// The key and value layouts of <c>__consumer_offsets</c> records, exactly as Kafka writes them so tools that read
/// the topic (Burrow, lag exporters, kafka-console-consumer's formatters) decode ours. Each key and value starts with
/// its int16 schema version:
/// <code>
/// offset commit   key   = int16 1 | OffsetCommitKey v1 (group string, topic string, partition int32)
///                 value = int16 3 | OffsetCommitValue v3 (offset, leader_epoch, metadata, commit_timestamp)
///                       | int16 1 | OffsetCommitValue v1 (offset, metadata, commit_timestamp, expire_timestamp)  when an expiry was asked for
/// group metadata  key   = int16 2 | GroupMetadataKey v2 (group string)
///                 value = int16 3 | GroupMetadataValue v3 (protocol_type, generation, protocol, leader, current_state_timestamp, members)
/// a null value is a tombstone: the offset or the group was deleted (compaction then drops the key).
/// </code>
/// </summary>
public static class GroupRecordCodec
{
    public const short OffsetCommitKeyVersion = 1;
    public const short GroupMetadataKeyVersion = 2;
    public const short GroupMetadataValueVersion = 3;

    public static byte[] OffsetCommitKey(string group, string topic, int partition) =>
        Encode(OffsetCommitKeyVersion, new OffsetCommitKey { Group = group, Topic = topic, Partition = partition });

    public static byte[] OffsetCommitValue(CommittedOffset offset)
    {
        ArgumentNullException.ThrowIfNull(offset);
        short version = offset.ExpireTimestamp >= 0 ? (short)1 : (short)3;
        return Encode(version, new OffsetCommitValue
        {
            Offset = offset.Offset,
            LeaderEpoch = offset.LeaderEpoch,
            Metadata = offset.Metadata,
            CommitTimestamp = offset.CommitTimestamp,
            ExpireTimestamp = offset.ExpireTimestamp,
        });
    }

    public static byte[] GroupMetadataKey(string group) => Encode(GroupMetadataKeyVersion, new GroupMetadataKey { Group = group });

    public static byte[] GroupMetadataValue(GroupMetadataValue value) => Encode(GroupMetadataValueVersion, value);

    /// <summary>Decodes a record key; unknown versions (e.g. the new consumer protocol's records) come back as Unknown.</summary>
    public static GroupRecordKey DecodeKey(ReadOnlySpan<byte> key)
    {
        if (key.Length < 2)
        {
            return default;
        }

        short version = BinaryPrimitives.ReadInt16BigEndian(key);
        var reader = new KafkaReader(key[2..].ToArray());
        switch (version)
        {
            case 0 or 1:
                var offsetKey = new OffsetCommitKey();
                offsetKey.Read(ref reader, version);
                return new GroupRecordKey(GroupRecordKind.OffsetCommit, offsetKey.Group, offsetKey.Topic, offsetKey.Partition);
            case 2:
                var groupKey = new GroupMetadataKey();
                groupKey.Read(ref reader, version);
                return new GroupRecordKey(GroupRecordKind.GroupMetadata, groupKey.Group, null, -1);
            default:
                return default;
        }
    }

    public static CommittedOffset DecodeOffsetValue(ReadOnlySpan<byte> value, long recordOffset)
    {
        short version = BinaryPrimitives.ReadInt16BigEndian(value);
        var reader = new KafkaReader(value[2..].ToArray());
        var decoded = new OffsetCommitValue();
        decoded.Read(ref reader, version);
        return new CommittedOffset(decoded.Offset, decoded.LeaderEpoch, decoded.Metadata, decoded.CommitTimestamp, decoded.ExpireTimestamp, recordOffset);
    }

    public static GroupMetadataValue DecodeGroupValue(ReadOnlySpan<byte> value)
    {
        short version = BinaryPrimitives.ReadInt16BigEndian(value);
        var reader = new KafkaReader(value[2..].ToArray());
        var decoded = new GroupMetadataValue();
        decoded.Read(ref reader, version);
        return decoded;
    }

    private static byte[] Encode(short version, IKafkaMessage message)
    {
        var output = new ArrayBufferWriter<byte>(2 + message.Size(version));
        BinaryPrimitives.WriteInt16BigEndian(output.GetSpan(2), version);
        output.Advance(2);
        var writer = new KafkaWriter(output);
        message.Write(ref writer, version);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }
}

public enum GroupRecordKind
{
    Unknown,
    OffsetCommit,
    GroupMetadata,
}

/// <summary>A decoded key: the group, and for an offset commit the topic partition.</summary>
public readonly record struct GroupRecordKey(GroupRecordKind Kind, string? Group, string? Topic, int Partition);
