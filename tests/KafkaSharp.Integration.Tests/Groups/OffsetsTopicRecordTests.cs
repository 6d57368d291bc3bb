using System.Buffers.Binary;
using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// <c>__consumer_offsets</c> as tools that read it directly (Burrow, lag exporters) see it: a topic a plain
/// consumer can read, where a group's records sit in partition abs(javaHashCode(group)) % 50 and decode with
/// Kafka's published OffsetCommitKey/Value and GroupMetadataKey/Value layouts (an int16 version, then the body).
/// </summary>
[Collection(nameof(GroupServerCollection))]
public sealed class OffsetsTopicRecordTests(GroupServerFixture server)
{
    private const string OffsetsTopic = "__consumer_offsets";

    /// <summary>offsets.topic.num.partitions, Kafka's default, which the test server keeps.</summary>
    private const int OffsetsTopicPartitions = 50;

    private readonly string _bootstrap = server.BootstrapServers;

    [Fact]
    public async Task OffsetsTopic_HoldsEveryCommitAndTheGroupMetadata_InKafkasRecordLayouts()
    {
        string topic = Clients.NewTopicName("offsets-records");
        // A group id whose Java hashCode is negative: where Utils.abs (Kafka's rule) and the sign-bit mask
        // (the producer partitioner's toPositive) pick different partitions.
        string group = NegativeHashGroupName();
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 2);
        var ledger = new GroupLedger();

        // A member commits 1..5 on partition 0 and 1, 2 on partition 1, then leaves (the group becomes Empty).
        await using (ConfluentGroupMember member = ConfluentGroupMember.Start("member", ConfluentGroupMember.Config(_bootstrap, group), topic, ledger))
        {
            await GroupMembers.WaitForEvenAssignmentAsync([member], partitions: 2);
            await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 1, perPartition: 3);
            await ledger.WaitForCountAsync(3);
            await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 2, perPartition: 2, batch: "more");
            await ledger.WaitForCountAsync(7);
            await member.StopAsync();
        }

        // Then kafka-python, as a simple consumer of the Empty group, commits offset 42 with a metadata string.
        ProcessResult commit = await ScriptClients.PythonAsync("kafka-python", "commit", _bootstrap, topic, group, "0", "42", "checkpoint-42");
        ScriptClients.AssertSucceeded(commit);

        int partition = PartitionFor(group);
        List<(byte[] Key, byte[]? Value)> records = ReadOffsetsPartition(partition);

        var commits = new List<(OffsetCommitKey Key, OffsetCommitValue? Value)>();
        var groupRecords = new List<GroupMetadataValue?>();
        foreach ((byte[] key, byte[]? value) in records)
        {
            short keyVersion = BinaryPrimitives.ReadInt16BigEndian(key);
            if (keyVersion is 0 or 1)
            {
                OffsetCommitKey k = Decode<OffsetCommitKey>(key);
                if (k.Group == group)
                {
                    commits.Add((k, value is null ? null : Decode<OffsetCommitValue>(value)));
                }
            }
            else
            {
                Assert.Equal(2, keyVersion);
                if (Decode<GroupMetadataKey>(key).Group == group)
                {
                    groupRecords.Add(value is null ? null : Decode<GroupMetadataValue>(value));
                }
            }
        }

        Assert.True(commits.Count > 0 && groupRecords.Count > 0,
            $"{OffsetsTopic} partition {partition} (hashCode {JavaHashCode(group)}) holds {records.Count} records, none of them the group's");
        Assert.All(commits, c => Assert.Equal(topic, c.Key.Topic));
        Assert.All(commits, c => Assert.NotNull(c.Value));
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 42L], commits.Where(c => c.Key.Partition == 0).Select(c => c.Value!.Offset));
        Assert.Equal([1L, 2L], commits.Where(c => c.Key.Partition == 1).Select(c => c.Value!.Offset));
        OffsetCommitValue last = commits[^1].Value!;
        Assert.Equal("checkpoint-42", last.Metadata);
        Assert.InRange(last.CommitTimestamp, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());

        // The group's metadata: a generation with the member (librdkafka's "consumer" protocol, the range assignor,
        // the member's timeouts, subscription and assignment), then the Empty group it left behind.
        Assert.NotEmpty(groupRecords);
        Assert.All(groupRecords, g => Assert.NotNull(g));
        GroupMetadataValue? stable = groupRecords.LastOrDefault(g => g!.Members.Count == 1);
        Assert.NotNull(stable);
        Assert.Equal("consumer", stable.ProtocolType);
        Assert.Equal("range", stable.Protocol);
        Assert.True(stable.Generation >= 1);
        GroupMetadataValue.MemberMetadata m = stable.Members[0];
        Assert.Equal(stable.Leader, m.MemberId);
        Assert.Equal(3000, m.SessionTimeout);
        Assert.Equal(10_000, m.RebalanceTimeout);
        Assert.Equal("rdkafka", m.ClientId);
        Assert.NotEmpty(m.Subscription);
        Assert.NotEmpty(m.Assignment);
        GroupMetadataValue emptied = groupRecords[^1]!;
        Assert.Empty(emptied.Members);
        Assert.True(emptied.Generation > stable.Generation, $"generation {emptied.Generation} after {stable.Generation}");
    }

    /// <summary>Kafka's coordinator partition: Utils.abs(groupId.hashCode) % offsets.topic.num.partitions.</summary>
    public static int PartitionFor(string group)
    {
        int hash = JavaHashCode(group);
        return (hash == int.MinValue ? 0 : Math.Abs(hash)) % OffsetsTopicPartitions;
    }

    /// <summary>java.lang.String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, wrapping.</summary>
    public static int JavaHashCode(string value)
    {
        int hash = 0;
        foreach (char c in value)
        {
            hash = unchecked((31 * hash) + c);
        }

        return hash;
    }

    private static string NegativeHashGroupName()
    {
        while (true)
        {
            string group = GroupMessages.NewGroupName("records");
            if (JavaHashCode(group) < 0 && JavaHashCode(group) != int.MinValue)
            {
                return group;
            }
        }
    }

    private List<(byte[] Key, byte[]? Value)> ReadOffsetsPartition(int partition)
    {
        using IConsumer<byte[], byte[]> consumer = new ConsumerBuilder<byte[], byte[]>(Clients.ConsumerConfig(_bootstrap)).Build();
        consumer.Assign(new TopicPartitionOffset(OffsetsTopic, partition, Offset.Beginning));
        return [.. Clients.ReadToEnd(consumer, Clients.Timeout).Select(r => (r.Message.Key, (byte[]?)r.Message.Value))];
    }

    /// <summary>A key or value: big-endian int16 version, then the message body at that version.</summary>
    private static T Decode<T>(byte[] bytes)
        where T : IKafkaMessage, new()
    {
        short version = BinaryPrimitives.ReadInt16BigEndian(bytes);
        var reader = new KafkaReader(bytes.AsMemory(2));
        var message = new T();
        message.Read(ref reader, version);
        Assert.Equal(0, reader.Remaining);
        return message;
    }
}
