using KafkaSharp.Broker.Cluster;
using KafkaSharp.Protocol;

namespace KafkaSharp.Broker.Topics;

/// <summary>A broker as replica placement sees it: its id and broker.rack (null when unset).</summary>
public readonly record struct PlacementBroker(int Id, string? Rack);

/// <summary>
/// Kafka's replica placement (AdminUtils.assignReplicasToBrokers, 3.9), a pure function: randomness comes from the
/// given <see cref="Random"/> (or a fixed start index), so a seed reproduces an assignment.
/// <list type="bullet">
/// <item>Rack-unaware (no broker has a rack): partition leaders go round-robin over the brokers from a random start
/// index; the followers of a partition follow its leader at a shift that grows by one each time the partition id
/// wraps around the broker count, so the replicas of consecutive partitions do not land on the same brokers.</item>
/// <item>Rack-aware (every broker has a rack): the same walk over a rack-alternated broker list (one broker from
/// each rack in turn, racks and brokers in order), skipping a broker whose rack already holds a replica while some
/// rack holds none, or which already holds one while some broker holds none.</item>
/// </list>
/// The brokers are taken in the order given; Kafka's callers sort them by id.
/// </summary>
public static class ReplicaAssigner
{
    /// <summary>
    /// Replica lists for <paramref name="partitions"/> partitions numbered from max(0, <paramref name="startPartitionId"/>),
    /// first replica the preferred leader. <paramref name="fixedStartIndex"/> ≥ 0 replaces both random draws (start
    /// index and first follower shift), as Kafka's tests and partition additions use it.
    /// </summary>
    /// <exception cref="KafkaApiException">
    /// INVALID_PARTITIONS (no partitions), INVALID_REPLICATION_FACTOR (≤ 0 or more than the brokers), or
    /// UNKNOWN_SERVER_ERROR when only some brokers have a rack (Kafka's AdminOperationException).
    /// </exception>
    public static IReadOnlyList<IReadOnlyList<int>> Assign(
        IReadOnlyList<PlacementBroker> brokers,
        int partitions,
        int replicationFactor,
        int fixedStartIndex = -1,
        int startPartitionId = -1,
        Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(brokers);
        if (partitions <= 0)
        {
            throw new KafkaApiException(ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.");
        }

        if (replicationFactor <= 0)
        {
            throw new KafkaApiException(ErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0.");
        }

        if (replicationFactor > brokers.Count)
        {
            throw new KafkaApiException(ErrorCode.InvalidReplicationFactor, $"Replication factor: {replicationFactor} larger than available brokers: {brokers.Count}.");
        }

        random ??= Random.Shared;
        if (brokers.All(b => b.Rack is null))
        {
            return AssignRackUnaware(partitions, replicationFactor, [.. brokers.Select(b => b.Id)], fixedStartIndex, startPartitionId, random);
        }

        if (brokers.Any(b => b.Rack is null))
        {
            throw new KafkaApiException(ErrorCode.UnknownServerError, "Not all brokers have rack information for replica rack aware assignment.");
        }

        return AssignRackAware(partitions, replicationFactor, brokers, fixedStartIndex, startPartitionId, random);
    }

    /// <summary>The live brokers of an image, sorted by id, with their racks.</summary>
    public static IReadOnlyList<PlacementBroker> PlacementBrokers(IEnumerable<BrokerNode> brokers) =>
        [.. brokers.OrderBy(b => b.Id).Select(b => new PlacementBroker(b.Id, string.IsNullOrEmpty(b.Rack) ? null : b.Rack))];

    /// <summary>
    /// Where new partitions of an existing topic start (Kafka's AdminZkClient.createPartitions): at the first broker,
    /// in id order, whose id is at least partition 0's first replica, so new leaders continue partition 0's walk.
    /// </summary>
    public static int StartIndexForNewPartitions(IReadOnlyList<PlacementBroker> sortedBrokers, int partitionZeroLeader)
    {
        ArgumentNullException.ThrowIfNull(sortedBrokers);
        for (int i = 0; i < sortedBrokers.Count; i++)
        {
            if (sortedBrokers[i].Id >= partitionZeroLeader)
            {
                return i;
            }
        }

        return 0;
    }

    private static List<IReadOnlyList<int>> AssignRackUnaware(
        int partitions, int replicationFactor, int[] brokers, int fixedStartIndex, int startPartitionId, Random random)
    {
        int n = brokers.Length;
        int startIndex = fixedStartIndex >= 0 ? fixedStartIndex : random.Next(n);
        int nextReplicaShift = fixedStartIndex >= 0 ? fixedStartIndex : random.Next(n);
        int partitionId = Math.Max(0, startPartitionId);
        var result = new List<IReadOnlyList<int>>(partitions);
        for (int i = 0; i < partitions; i++, partitionId++)
        {
            if (partitionId > 0 && partitionId % n == 0)
            {
                nextReplicaShift++;
            }

            int first = (partitionId + startIndex) % n;
            var replicas = new int[replicationFactor];
            replicas[0] = brokers[first];
            for (int j = 0; j < replicationFactor - 1; j++)
            {
                replicas[j + 1] = brokers[ReplicaIndex(first, nextReplicaShift, j, n)];
            }

            result.Add(replicas);
        }

        return result;
    }

    private static List<IReadOnlyList<int>> AssignRackAware(
        int partitions, int replicationFactor, IReadOnlyList<PlacementBroker> brokers, int fixedStartIndex, int startPartitionId, Random random)
    {
        Dictionary<int, string> rackOf = brokers.ToDictionary(b => b.Id, b => b.Rack!);
        int numRacks = rackOf.Values.Distinct(StringComparer.Ordinal).Count();
        IReadOnlyList<int> arranged = RackAlternatedBrokerList(rackOf);
        int n = arranged.Count;
        int startIndex = fixedStartIndex >= 0 ? fixedStartIndex : random.Next(n);
        int nextReplicaShift = fixedStartIndex >= 0 ? fixedStartIndex : random.Next(n);
        int partitionId = Math.Max(0, startPartitionId);
        var result = new List<IReadOnlyList<int>>(partitions);
        var racksWithReplicas = new HashSet<string>(StringComparer.Ordinal);
        var brokersWithReplicas = new HashSet<int>();
        for (int i = 0; i < partitions; i++, partitionId++)
        {
            if (partitionId > 0 && partitionId % n == 0)
            {
                nextReplicaShift++;
            }

            int first = (partitionId + startIndex) % n;
            int leader = arranged[first];
            var replicas = new List<int>(replicationFactor) { leader };
            racksWithReplicas.Clear();
            racksWithReplicas.Add(rackOf[leader]);
            brokersWithReplicas.Clear();
            brokersWithReplicas.Add(leader);
            int k = 0;
            for (int j = 0; j < replicationFactor - 1; j++)
            {
                while (true)
                {
                    int broker = arranged[ReplicaIndex(first, nextReplicaShift * numRacks, k, n)];
                    string rack = rackOf[broker];
                    k++;

                    // Take it unless its rack already has a replica while another rack has none, or it already has one
                    // while another broker has none.
                    if ((!racksWithReplicas.Contains(rack) || racksWithReplicas.Count == numRacks)
                        && (!brokersWithReplicas.Contains(broker) || brokersWithReplicas.Count == n))
                    {
                        replicas.Add(broker);
                        racksWithReplicas.Add(rack);
                        brokersWithReplicas.Add(broker);
                        break;
                    }
                }
            }

            result.Add(replicas);
        }

        return result;
    }

    /// <summary>
    /// The brokers interleaved by rack: racks in ordinal order, each rack's brokers by id, one from each rack in turn
    /// ({0:a, 1:c, 2:c, 3:b, 4:b, 5:a} gives 0, 3, 1, 5, 4, 2).
    /// </summary>
    public static IReadOnlyList<int> RackAlternatedBrokerList(IReadOnlyDictionary<int, string> brokerRacks)
    {
        ArgumentNullException.ThrowIfNull(brokerRacks);
        Queue<int>[] byRack = [.. brokerRacks
            .GroupBy(b => b.Value, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Queue<int>(g.Select(b => b.Key).Order()))];
        var result = new List<int>(brokerRacks.Count);
        for (int rack = 0; result.Count < brokerRacks.Count; rack = (rack + 1) % byRack.Length)
        {
            if (byRack[rack].TryDequeue(out int broker))
            {
                result.Add(broker);
            }
        }

        return result;
    }

    /// <summary>The j-th follower: 1 + (shift + j) mod (n - 1) places after the leader, so never the leader itself.</summary>
    private static int ReplicaIndex(int firstReplicaIndex, int secondReplicaShift, int replicaIndex, int brokerCount)
    {
        long shift = 1 + (((long)secondReplicaShift + replicaIndex) % (brokerCount - 1));
        return (int)((firstReplicaIndex + shift) % brokerCount);
    }
}
