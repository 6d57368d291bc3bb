namespace KafkaSharp.Broker.Groups;

/// <summary>
/// Which <c>__consumer_offsets</c> partition holds a group: <c>Utils.abs(groupId.hashCode) % partitions</c> with Java's
/// String.hashCode, so tools that compute it agree with us. Kafka's Utils.abs is Math.abs except that
/// Integer.MIN_VALUE gives 0 — not <c>x &amp; 0x7fffffff</c> (that is Utils.toPositive, the producer partitioner's):
/// the two differ for every negative hash.
/// </summary>
public static class GroupPartitioner
{
    /// <summary>Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, wrapping.</summary>
    public static int JavaStringHashCode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int hash = 0;
        foreach (char c in value)
        {
            hash = unchecked((31 * hash) + c);
        }

        return hash;
    }

    public static int PartitionFor(string groupId, int partitionCount) => KafkaAbs(JavaStringHashCode(groupId)) % partitionCount;

    /// <summary>Kafka's Utils.abs.</summary>
    public static int KafkaAbs(int value) => value == int.MinValue ? 0 : Math.Abs(value);
}
