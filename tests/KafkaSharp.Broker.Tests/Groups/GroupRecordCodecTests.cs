using KafkaSharp.Broker.Groups;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Tests.Groups;

/// <summary>The __consumer_offsets layouts, byte for byte as Kafka writes them (version-prefixed key and value).</summary>
public sealed class GroupRecordCodecTests
{
    [Fact]
    public void OffsetCommitKeyIsVersion1GroupTopicPartitionWhenEncoded()
    {
        byte[] expected = [0, 1, 0, 1, (byte)'g', 0, 1, (byte)'t', 0, 0, 0, 5];
        byte[] key = GroupRecordCodec.OffsetCommitKey("g", "t", 5);
        Assert.Equal(expected, key);
        Assert.Equal(new GroupRecordKey(GroupRecordKind.OffsetCommit, "g", "t", 5), GroupRecordCodec.DecodeKey(key));
    }

    [Fact]
    public void OffsetCommitValueIsVersion3WithLeaderEpochWhenNoExpiry()
    {
        byte[] expected =
        [
            0, 3,
            0, 0, 0, 0, 0, 0, 0, 10, // offset
            0, 0, 0, 2, // leader epoch
            0, 1, (byte)'m', // metadata
            0, 0, 0, 0, 0, 0, 3, 0xE8, // commit timestamp 1000
        ];
        byte[] value = GroupRecordCodec.OffsetCommitValue(new CommittedOffset(10, 2, "m", 1000));
        Assert.Equal(expected, value);
        Assert.Equal(new CommittedOffset(10, 2, "m", 1000, -1, 42), GroupRecordCodec.DecodeOffsetValue(value, 42));
    }

    [Fact]
    public void OffsetCommitValueIsVersion1WithExpireTimestampWhenRetentionWasAsked()
    {
        byte[] expected =
        [
            0, 1,
            0, 0, 0, 0, 0, 0, 0, 10, // offset
            0, 0, // metadata ""
            0, 0, 0, 0, 0, 0, 3, 0xE8, // commit timestamp 1000
            0, 0, 0, 0, 0, 0, 7, 0xD0, // expire timestamp 2000
        ];
        byte[] value = GroupRecordCodec.OffsetCommitValue(new CommittedOffset(10, 7, "", 1000, 2000));
        Assert.Equal(expected, value);

        // v1 has no leader epoch: it reads back as -1.
        Assert.Equal(new CommittedOffset(10, -1, "", 1000, 2000, 0), GroupRecordCodec.DecodeOffsetValue(value, 0));
    }

    [Fact]
    public void GroupMetadataKeyIsVersion2GroupWhenEncoded()
    {
        byte[] key = GroupRecordCodec.GroupMetadataKey("g");
        Assert.Equal([0, 2, 0, 1, (byte)'g'], key);
        Assert.Equal(new GroupRecordKey(GroupRecordKind.GroupMetadata, "g", null, -1), GroupRecordCodec.DecodeKey(key));
    }

    [Fact]
    public void GroupMetadataValueIsVersion3WithMembersWhenEncoded()
    {
        var value = new GroupMetadataValue
        {
            ProtocolType = "consumer",
            Generation = 1,
            Protocol = "range",
            Leader = "m1",
            CurrentStateTimestamp = 5,
            Members =
            [
                new GroupMetadataValue.MemberMetadata
                {
                    MemberId = "m1", GroupInstanceId = null, ClientId = "c", ClientHost = "/h", RebalanceTimeout = 300, SessionTimeout = 100,
                    Subscription = [1], Assignment = [2],
                },
            ],
        };
        byte[] expected =
        [
            0, 3,
            0, 8, .. "consumer"u8,
            0, 0, 0, 1, // generation
            0, 5, .. "range"u8,
            0, 2, .. "m1"u8, // leader
            0, 0, 0, 0, 0, 0, 0, 5, // current state timestamp
            0, 0, 0, 1, // one member
            0, 2, .. "m1"u8,
            0xFF, 0xFF, // no group instance id
            0, 1, (byte)'c',
            0, 2, (byte)'/', (byte)'h',
            0, 0, 1, 0x2C, // rebalance timeout 300
            0, 0, 0, 100, // session timeout
            0, 0, 0, 1, 1, // subscription
            0, 0, 0, 1, 2, // assignment
        ];
        byte[] encoded = GroupRecordCodec.GroupMetadataValue(value);
        Assert.Equal(expected, encoded);
        Assert.Equal(value, GroupRecordCodec.DecodeGroupValue(encoded));
    }

    [Fact]
    public void DecodeKeyReturnsUnknownWhenVersionIsNotAClassicGroupRecord()
    {
        Assert.Equal(GroupRecordKind.Unknown, GroupRecordCodec.DecodeKey([0, 5, 0, 1, (byte)'g']).Kind);
        Assert.Equal(GroupRecordKind.Unknown, GroupRecordCodec.DecodeKey([0]).Kind);
    }
}
