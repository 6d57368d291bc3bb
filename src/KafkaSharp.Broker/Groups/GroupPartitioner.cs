namespace KafkaSharp.Broker.Groups;

/// <summary>
/// Which <c>__consumer_offsets</c> partition holds a group: <c>abs(hash(groupId)) % partitions</c> with Java's
/// String.hashCode and Kafka's Utils.abs (<c>x &amp; 0x7fffffff</c>), so tools that compute it agree with us.
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

    public static int PartitionFor(string groupId, int partitionCount) =>
        (JavaStringHashCode(groupId) & 0x7fffffff) % partitionCount;
}
