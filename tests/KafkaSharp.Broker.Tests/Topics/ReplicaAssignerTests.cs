using KafkaSharp.Broker.Topics;
using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.Tests.Topics;

public sealed class ReplicaAssignerTests
{
    private static PlacementBroker[] Brokers(int count) => [.. Enumerable.Range(0, count).Select(i => new PlacementBroker(i, null))];

    private static PlacementBroker[] Racked(params (int Id, string Rack)[] brokers) => [.. brokers.Select(b => new PlacementBroker(b.Id, b.Rack))];

    [Fact]
    public void AssignMatchesKafkasRackUnawareExampleWhenStartIndexIsFixed()
    {
        // Kafka's AdminRackAwareTest.testReplicaAssignment: 5 brokers, 10 partitions, RF 3, fixed start index 0.
        int[][] expected =
        [
            [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1],
            [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2],
        ];

        IReadOnlyList<IReadOnlyList<int>> actual = ReplicaAssigner.Assign(Brokers(5), 10, 3, fixedStartIndex: 0);

        Assert.Equal(expected, actual.Select(r => r.ToArray()));
    }

    [Fact]
    public void RackAlternatedBrokerListMatchesKafkasExample()
    {
        var racks = new Dictionary<int, string> { [0] = "rack1", [1] = "rack3", [2] = "rack3", [3] = "rack2", [4] = "rack2", [5] = "rack1" };

        Assert.Equal([0, 3, 1, 5, 4, 2], ReplicaAssigner.RackAlternatedBrokerList(racks));
        racks.Remove(5);
        Assert.Equal([0, 3, 1, 4, 2], ReplicaAssigner.RackAlternatedBrokerList(racks));
    }

    [Fact]
    public void AssignMatchesKafkasRackAwareExampleWhenStartIndexIsFixed()
    {
        // Kafka's AdminRackAwareTest.testGetRackAlternatedBrokerListAndAssignReplicasToBrokers.
        PlacementBroker[] brokers = Racked((0, "rack1"), (1, "rack3"), (2, "rack3"), (3, "rack2"), (4, "rack2"), (5, "rack1"));
        int[][] expected = [[0, 3, 1], [3, 1, 5], [1, 5, 4], [5, 4, 2], [4, 2, 0], [2, 0, 3], [0, 4, 2]];

        IReadOnlyList<IReadOnlyList<int>> actual = ReplicaAssigner.Assign(brokers, 7, 3, fixedStartIndex: 0, startPartitionId: 0);

        Assert.Equal(expected, actual.Select(r => r.ToArray()));
    }

    [Theory]
    [InlineData(0, 1, ErrorCode.InvalidPartitions)]
    [InlineData(3, 0, ErrorCode.InvalidReplicationFactor)]
    [InlineData(3, 6, ErrorCode.InvalidReplicationFactor)]
    public void AssignThrowsKafkasErrorWhenCountsAreInvalid(int partitions, int replicationFactor, ErrorCode expected)
    {
        var error = Assert.Throws<KafkaApiException>(() => ReplicaAssigner.Assign(Brokers(5), partitions, replicationFactor));

        Assert.Equal(expected, error.ErrorCode);
    }

    [Fact]
    public void AssignThrowsWhenOnlySomeBrokersHaveARack()
    {
        PlacementBroker[] brokers = [new(0, "a"), new(1, null), new(2, "b")];

        var error = Assert.Throws<KafkaApiException>(() => ReplicaAssigner.Assign(brokers, 3, 2));

        Assert.Equal(ErrorCode.UnknownServerError, error.ErrorCode);
        Assert.Contains("rack", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssignIsReproducibleWithTheSameSeed()
    {
        IReadOnlyList<IReadOnlyList<int>> first = ReplicaAssigner.Assign(Brokers(7), 20, 3, random: new Random(42));
        IReadOnlyList<IReadOnlyList<int>> second = ReplicaAssigner.Assign(Brokers(7), 20, 3, random: new Random(42));

        Assert.Equal(first.Select(r => r.ToArray()), second.Select(r => r.ToArray()));
    }

    [Theory]
    [InlineData(3, 6, 3)]
    [InlineData(5, 10, 3)]
    [InlineData(6, 12, 2)]
    [InlineData(4, 8, 4)]
    public void AssignSpreadsLeadersAndReplicasEvenlyWhenPartitionsAreAMultipleOfBrokers(int brokers, int partitions, int replicationFactor)
    {
        for (int seed = 0; seed < 20; seed++)
        {
            IReadOnlyList<IReadOnlyList<int>> assignment = ReplicaAssigner.Assign(Brokers(brokers), partitions, replicationFactor, random: new Random(seed));

            Assert.Equal(partitions, assignment.Count);
            Assert.All(assignment, replicas =>
            {
                Assert.Equal(replicationFactor, replicas.Count);
                Assert.Equal(replicationFactor, replicas.Distinct().Count());
            });

            // Leaders go round-robin: every broker leads the same number of partitions, and holds as many replicas.
            Assert.All(assignment.GroupBy(r => r[0]), g => Assert.Equal(partitions / brokers, g.Count()));
            Assert.All(assignment.SelectMany(r => r).GroupBy(b => b), g => Assert.Equal(partitions * replicationFactor / brokers, g.Count()));
        }
    }

    [Fact]
    public void AssignShiftsFollowersSoConsecutiveRoundsDiffer()
    {
        // With 4 brokers, partitions 0 and 4 share a leader; the follower shift grows at the wrap, so their
        // followers differ (this is what spreads a failed broker's followers over the others).
        IReadOnlyList<IReadOnlyList<int>> assignment = ReplicaAssigner.Assign(Brokers(4), 8, 2, fixedStartIndex: 0);

        Assert.Equal(assignment[0][0], assignment[4][0]);
        Assert.NotEqual(assignment[0][1], assignment[4][1]);
    }

    [Theory]
    [InlineData(2, 3, 2)]
    [InlineData(3, 3, 3)]
    [InlineData(3, 2, 3)]
    [InlineData(2, 4, 3)]
    public void AssignPutsReplicasOnAsManyRacksAsPossible(int racks, int brokersPerRack, int replicationFactor)
    {
        PlacementBroker[] brokers = [.. Enumerable.Range(0, racks * brokersPerRack).Select(i => new PlacementBroker(i, $"rack-{i % racks}"))];
        for (int seed = 0; seed < 20; seed++)
        {
            IReadOnlyList<IReadOnlyList<int>> assignment = ReplicaAssigner.Assign(brokers, 12, replicationFactor, random: new Random(seed));

            Assert.All(assignment, replicas =>
            {
                Assert.Equal(replicationFactor, replicas.Distinct().Count());
                int racksUsed = replicas.Select(b => brokers[b].Rack).Distinct().Count();
                Assert.Equal(Math.Min(racks, replicationFactor), racksUsed);
            });
        }
    }

    [Fact]
    public void AssignNumbersNewPartitionsFromStartPartitionId()
    {
        // Adding partitions 3 and 4 to a topic whose partition 0 is led by broker 1 (Kafka's createPartitions).
        PlacementBroker[] brokers = Brokers(3);
        int start = ReplicaAssigner.StartIndexForNewPartitions(brokers, partitionZeroLeader: 1);

        IReadOnlyList<IReadOnlyList<int>> added = ReplicaAssigner.Assign(brokers, 2, 2, fixedStartIndex: start, startPartitionId: 3);

        Assert.Equal(1, start);
        Assert.Equal(2, added.Count);
        Assert.Equal(brokers[(3 + start) % 3].Id, added[0][0]);
        Assert.Equal(brokers[(4 + start) % 3].Id, added[1][0]);
    }
}
