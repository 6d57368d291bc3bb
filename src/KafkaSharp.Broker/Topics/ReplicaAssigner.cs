namespace KafkaSharp.Broker.Topics;

/// <summary>
/// Kafka's rack-unaware replica placement (AdminUtils.assignReplicasToBrokers): partition leaders go round-robin from a
/// random broker, followers shifted so replicas of consecutive partitions spread over different brokers.
/// </summary>
internal static class ReplicaAssigner
{
    public static IReadOnlyList<IReadOnlyList<int>> Assign(IReadOnlyList<int> brokerIds, int partitions, int replicationFactor, int firstPartition = 0)
    {
        int[] brokers = [.. brokerIds.Order()];
        int n = brokers.Length;
        int startIndex = Random.Shared.Next(n);
        int shift = Random.Shared.Next(n);
        var result = new List<IReadOnlyList<int>>(partitions);
        for (int p = firstPartition; p < firstPartition + partitions; p++)
        {
            if (p > 0 && p % n == 0)
            {
                shift++;
            }

            int first = (p + startIndex) % n;
            var replicas = new List<int>(replicationFactor) { brokers[first] };
            for (int j = 0; j < replicationFactor - 1; j++)
            {
                replicas.Add(brokers[(first + 1 + ((shift + j) % (n - 1))) % n]);
            }

            result.Add(replicas);
        }

        return result;
    }
}
