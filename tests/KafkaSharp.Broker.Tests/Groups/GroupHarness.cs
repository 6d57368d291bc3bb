using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.Broker.Groups;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Tests.Groups;

/// <summary>
/// A started broker on a manual clock with <c>__consumer_offsets</c> (3 partitions) and topics "t" and "u"
/// (3 partitions each) created and loaded, for driving the group coordinator directly.
/// </summary>
internal sealed class GroupHarness : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private GroupHarness(TestBroker test, ManualTimeProvider clock)
    {
        Test = test;
        Clock = clock;
    }

    public TestBroker Test { get; }

    public ManualTimeProvider Clock { get; }

    public GroupCoordinator Groups => Test.Broker.Groups;

    public static async Task<GroupHarness> StartAsync(Dictionary<string, string>? overrides = null, string? dataDir = null)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["offsets.topic.num.partitions"] = "3",
            ["group.initial.rebalance.delay.ms"] = "0",
            ["group.min.session.timeout.ms"] = "100",
        };
        foreach ((string key, string value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var clock = new ManualTimeProvider();
        TestBroker test = TestBroker.Start(settings, dataDir, time: clock);
        var harness = new GroupHarness(test, clock);
        await test.Broker.Topics.AutoCreateTopicAsync("__consumer_offsets");
        foreach (string topic in new[] { "t", "u" })
        {
            if (!test.Broker.Metadata.Current.TryGetTopic(topic, out _))
            {
                TopicCreationResult created = await test.Broker.Topics.CreateTopicAsync(new TopicCreation(topic, 3, 1), validateOnly: false);
                Assert.Equal(ErrorCode.None, created.Error);
            }
        }

        await harness.WaitLoadedAsync("any-group");
        return harness;
    }

    /// <summary>Waits until the coordinator serves the group's partition (a replay runs in the background).</summary>
    public async Task WaitLoadedAsync(string groupId)
    {
        DateTime deadline = DateTime.UtcNow + Wait;
        while (Groups.ValidateGroupStatus(groupId, allowEmptyId: false) != ErrorCode.None)
        {
            Assert.True(DateTime.UtcNow < deadline, "the coordinator did not load its partitions");
            await Task.Delay(10);
        }
    }

    public async Task<GroupHarness> RestartAsync()
    {
        string dir = Test.DataDir;
        await Test.StopAsync();
        return await StartAsync(dataDir: dir);
    }

    /// <summary>Polls until the group is in <paramref name="state"/> (timers fire on other threads).</summary>
    public async Task WaitForStateAsync(string groupId, string state)
    {
        DateTime deadline = DateTime.UtcNow + Wait;
        while (Groups.DescribeGroup(groupId).Summary.State != state)
        {
            Assert.True(DateTime.UtcNow < deadline, $"group {groupId} is {Groups.DescribeGroup(groupId).Summary.State}, not {state}");
            await Task.Delay(5);
        }
    }

    public static JoinRequest Join(string groupId, string memberId = "", string? instanceId = null, IReadOnlyList<(string Name, byte[] Metadata)>? protocols = null,
        int sessionTimeoutMs = 1000, int rebalanceTimeoutMs = 2000, bool requireKnownMemberId = false, string protocolType = "consumer", string clientId = "client") =>
        new(groupId, memberId, instanceId, requireKnownMemberId, SupportSkippingAssignment: true, clientId, "/127.0.0.1", rebalanceTimeoutMs, sessionTimeoutMs,
            protocolType, protocols ?? [("range", Subscription("t"))], Reason: null);

    /// <summary>A consumer protocol subscription (v0) to the topics, as clients send it: int16 version, then the body.</summary>
    public static byte[] Subscription(params string[] topics)
    {
        var message = new ConsumerProtocolSubscription { Topics = [.. topics] };
        var output = new ArrayBufferWriter<byte>();
        BinaryPrimitives.WriteInt16BigEndian(output.GetSpan(2), 0);
        output.Advance(2);
        var writer = new KafkaWriter(output);
        message.Write(ref writer, 0);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Joins a one-member group and syncs it to Stable; returns the member id and generation.</summary>
    public async Task<(string MemberId, int Generation)> JoinStableAsync(string groupId, string? instanceId = null, int sessionTimeoutMs = 1000, byte[]? assignment = null)
    {
        JoinResult joined = await Groups.JoinGroupAsync(Join(groupId, instanceId: instanceId, sessionTimeoutMs: sessionTimeoutMs)).WaitAsync(Wait);
        Assert.Equal(ErrorCode.None, joined.Error);
        SyncResult synced = await Groups.SyncGroupAsync(groupId, joined.GenerationId, joined.MemberId, instanceId, "consumer", joined.ProtocolName,
            new Dictionary<string, byte[]> { [joined.MemberId] = assignment ?? [1, 2, 3] }).WaitAsync(Wait);
        Assert.Equal(ErrorCode.None, synced.Error);
        return (joined.MemberId, joined.GenerationId);
    }

    public async ValueTask DisposeAsync() => await Test.DisposeAsync();
}
