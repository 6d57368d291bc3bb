using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// What operators' tools see of groups: Confluent.Kafka's AdminClient (ListGroups, DescribeGroups, OffsetFetch,
/// DeleteGroups) and kafka-python's KafkaAdminClient list, describe, read committed offsets and lag, and delete.
/// </summary>
[Collection(nameof(GroupServerCollection))]
public sealed class GroupAdminTests(GroupServerFixture server)
{
    private static readonly TimeSpan s_timeout = Clients.Timeout;

    private readonly string _bootstrap = server.BootstrapServers;

    [Fact]
    public async Task AdminClients_ListDescribeReadLagAndDelete_AGroupThroughItsLifecycle()
    {
        string topic = Clients.NewTopicName("group-admin");
        string group = GroupMessages.NewGroupName("admin");
        await Clients.CreateTopicAsync(_bootstrap, topic, partitions: 2);
        var ledger = new GroupLedger();
        using IAdminClient admin = Clients.Admin(_bootstrap);
        var partitions = new List<TopicPartition> { new(topic, 0), new(topic, 1) };

        await using (ConfluentGroupMember a = ConfluentGroupMember.Start("a", ConfluentGroupMember.Config(_bootstrap, group), topic, ledger))
        await using (ConfluentGroupMember b = ConfluentGroupMember.Start("b", ConfluentGroupMember.Config(_bootstrap, group), topic, ledger))
        {
            await GroupMembers.WaitForEvenAssignmentAsync([a, b], partitions: 2);
            await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 2, perPartition: 20);
            await ledger.WaitForCountAsync(40);

            ListConsumerGroupsResult listed = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = s_timeout }).WaitAsync(s_timeout);
            ConsumerGroupListing listing = Assert.Single(listed.Valid, g => g.GroupId == group);
            Assert.Equal(ConsumerGroupState.Stable, listing.State);
            Assert.False(listing.IsSimpleConsumerGroup);

            ConsumerGroupDescription described = await DescribeAsync(admin, group);
            Assert.Equal(ConsumerGroupState.Stable, described.State);
            Assert.Equal("range", described.PartitionAssignor);
            Assert.False(described.IsSimpleConsumerGroup);
            Assert.Equal(2, described.Members.Count);
            Assert.All(described.Members, m => Assert.True(m.ClientId.Length > 0 && m.Host.Length > 0 && m.ConsumerId.Length > 0, m.ToString()));
            Assert.Equal([0, 1], described.Members.SelectMany(m => m.Assignment.TopicPartitions).Select(tp => Assert.IsType<TopicPartition>(tp).Partition.Value).Order());
            Assert.All(described.Members, m => Assert.Single(m.Assignment.TopicPartitions));

            Assert.Equal([20L, 20L], (await CommittedAsync(admin, group, partitions)).Select(p => p.Offset.Value));

            // A group with members cannot be deleted.
            DeleteGroupsException nonEmpty = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync([group], new DeleteGroupsOptions { RequestTimeout = s_timeout }).WaitAsync(s_timeout));
            Assert.Equal(ErrorCode.NonEmptyGroup, Assert.Single(nonEmpty.Results).Error.Code);

            // Offsets of a topic the group consumes cannot be deleted while it has members.
            DeleteConsumerGroupOffsetsException subscribed = await Assert.ThrowsAsync<DeleteConsumerGroupOffsetsException>(() =>
                admin.DeleteConsumerGroupOffsetsAsync(group, [partitions[1]], new DeleteConsumerGroupOffsetsOptions { RequestTimeout = s_timeout }).WaitAsync(s_timeout));
            Assert.Equal(ErrorCode.GroupSubscribedToTopic, Assert.Single(subscribed.Result.Partitions).Error.Code);

            // kafka-python's admin client (its own protocol code: ListGroups, DescribeGroups and OffsetFetch).
            ProcessResult python = await ScriptClients.PythonAsync("kafka-python", "admin-groups", _bootstrap, group);
            ScriptClients.AssertSucceeded(python);
            using JsonDocument doc = JsonDocument.Parse(python.Stdout);
            Assert.Contains(doc.RootElement.GetProperty("groups").EnumerateArray(), g => g[0].GetString() == group && g[1].GetString() == "consumer");
            JsonElement pyGroup = Assert.Single(doc.RootElement.GetProperty("described").EnumerateArray());
            Assert.Equal("Stable", pyGroup.GetProperty("state").GetString());
            Assert.Equal("consumer", pyGroup.GetProperty("protocol_type").GetString());
            Assert.Equal("range", pyGroup.GetProperty("protocol").GetString());
            Assert.Equal([0, 1], pyGroup.GetProperty("members").EnumerateArray()
                .SelectMany(m => m.GetProperty("partitions").EnumerateArray()).Select(tp => tp[1].GetInt32()).Order());
            Assert.Equal([(0, 20L), (1, 20L)], doc.RootElement.GetProperty("offsets").EnumerateArray()
                .Select(o => (o[1].GetInt32(), o[2].GetInt64())).Order());

            await a.StopAsync();
            await b.StopAsync();
        }

        // Lag, as tools compute it: the partition's high watermark minus the group's committed offset.
        await GroupMessages.ProduceAsync(_bootstrap, topic, partitions: 1, perPartition: 7, batch: "unread");
        List<TopicPartitionOffset> committed = await CommittedAsync(admin, group, partitions);
        using (IConsumer<byte[], byte[]> watermarks = new ConsumerBuilder<byte[], byte[]>(Clients.ConsumerConfig(_bootstrap)).Build())
        {
            long[] lag = [.. committed.Select(c => watermarks.QueryWatermarkOffsets(c.TopicPartition, s_timeout).High.Value - c.Offset.Value)];
            Assert.Equal([7L, 0L], lag);
        }

        // OffsetDelete once the group is Empty: partition 1's offset goes, partition 0's stays.
        await admin.DeleteConsumerGroupOffsetsAsync(group, [partitions[1]], new DeleteConsumerGroupOffsetsOptions { RequestTimeout = s_timeout }).WaitAsync(s_timeout);
        Assert.Equal([20L, Offset.Unset.Value], (await CommittedAsync(admin, group, partitions)).Select(p => p.Offset.Value));

        ConsumerGroupDescription empty = await DescribeAsync(admin, group);
        Assert.Equal(ConsumerGroupState.Empty, empty.State);
        Assert.Empty(empty.Members);
        ListConsumerGroupsResult emptyOnly = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Empty], RequestTimeout = s_timeout }).WaitAsync(s_timeout);
        Assert.Contains(emptyOnly.Valid, g => g.GroupId == group && g.State == ConsumerGroupState.Empty);
        ListConsumerGroupsResult stableOnly = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { MatchStates = [ConsumerGroupState.Stable], RequestTimeout = s_timeout }).WaitAsync(s_timeout);
        Assert.DoesNotContain(stableOnly.Valid, g => g.GroupId == group);

        await admin.DeleteGroupsAsync([group], new DeleteGroupsOptions { RequestTimeout = s_timeout }).WaitAsync(s_timeout);

        ListConsumerGroupsResult after = await admin.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = s_timeout }).WaitAsync(s_timeout);
        Assert.DoesNotContain(after.Valid, g => g.GroupId == group);
        Assert.All(await CommittedAsync(admin, group, partitions), p => Assert.Equal(Offset.Unset, p.Offset));
        Assert.Equal(ConsumerGroupState.Dead, (await DescribeAsync(admin, group)).State);
        DeleteGroupsException gone = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync([group], new DeleteGroupsOptions { RequestTimeout = s_timeout }).WaitAsync(s_timeout));
        Assert.Equal(ErrorCode.GroupIdNotFound, Assert.Single(gone.Results).Error.Code);
    }

    private static async Task<ConsumerGroupDescription> DescribeAsync(IAdminClient admin, string group)
    {
        DescribeConsumerGroupsResult result = await admin.DescribeConsumerGroupsAsync([group], new DescribeConsumerGroupsOptions { RequestTimeout = s_timeout }).WaitAsync(s_timeout);
        return Assert.Single(result.ConsumerGroupDescriptions);
    }

    private static async Task<List<TopicPartitionOffset>> CommittedAsync(IAdminClient admin, string group, List<TopicPartition> partitions)
    {
        List<ListConsumerGroupOffsetsResult> result = await admin.ListConsumerGroupOffsetsAsync(
            [new ConsumerGroupTopicPartitions(group, partitions)], new ListConsumerGroupOffsetsOptions { RequestTimeout = s_timeout }).WaitAsync(s_timeout);
        ListConsumerGroupOffsetsResult offsets = Assert.Single(result);
        Assert.All(offsets.Partitions, p => Assert.False(p.Error.IsError, p.ToString()));
        return [.. offsets.Partitions.OrderBy(p => p.Partition.Value).Select(p => p.TopicPartitionOffset)];
    }
}
