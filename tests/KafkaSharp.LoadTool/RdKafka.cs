using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaSharp.LoadTool;

/// <summary>
/// Confluent.Kafka on Debian's librdkafka1 (see <see cref="KafkaSharp.ClientCompat.RdKafkaCompat"/>), plus the
/// mock-cluster functions and the asynchronous commit the binding does not wrap.
/// </summary>
internal static partial class RdKafka
{
    public static void EnsureLoaded() => KafkaSharp.ClientCompat.RdKafkaCompat.EnsureInstalled();

    /// <summary>The mock cluster a client created for <c>test.mock.num.brokers</c>, or zero.</summary>
    [DllImport("librdkafka", EntryPoint = "rd_kafka_handle_mock_cluster")]
    public static extern IntPtr HandleMockCluster(IntPtr rk);

    [DllImport("librdkafka", EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static extern IntPtr MockClusterBootstraps(IntPtr mcluster);

    [DllImport("librdkafka", EntryPoint = "rd_kafka_mock_topic_create")]
    public static extern int MockTopicCreate(IntPtr mcluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitionCount, int replicationFactor);

    /// <summary>
    /// rd_kafka_commit: with <paramref name="async"/> = 1 it only queues the OffsetCommit and returns; the result
    /// arrives through the consumer's offset-commit callback (Confluent.Kafka's OffsetsCommittedHandler).
    /// </summary>
    [DllImport("librdkafka", EntryPoint = "rd_kafka_commit")]
    public static extern int Commit(IntPtr rk, IntPtr offsets, int async);

    [DllImport("librdkafka", EntryPoint = "rd_kafka_topic_partition_list_new")]
    public static extern IntPtr PartitionListNew(int size);

    /// <summary>Adds a partition and returns its rd_kafka_topic_partition_t, whose int64 offset is at byte 16.</summary>
    [DllImport("librdkafka", EntryPoint = "rd_kafka_topic_partition_list_add")]
    public static extern IntPtr PartitionListAdd(IntPtr list, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partition);

    [DllImport("librdkafka", EntryPoint = "rd_kafka_topic_partition_list_destroy")]
    public static extern void PartitionListDestroy(IntPtr list);

    /// <summary>The offset field of rd_kafka_topic_partition_t: after char *topic and int32 partition (padded).</summary>
    public const int PartitionOffsetField = 16;

    /// <summary>The rd_kafka_t* behind a Confluent.Kafka client (the binding keeps it internal).</summary>
    public static IntPtr NativeHandle(IClient client)
    {
        PropertyInfo property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Confluent.Kafka's Handle has no LibrdkafkaHandle property.");
        var safeHandle = (SafeHandle)property.GetValue(client.Handle)!;
        return safeHandle.DangerousGetHandle();
    }
}
