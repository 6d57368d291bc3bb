using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaSharp.LoadTool;

/// <summary>
/// Confluent.Kafka on Debian's librdkafka1 (see <see cref="KafkaSharp.ClientCompat.RdKafkaCompat"/>), plus the three
/// mock-cluster functions the binding does not wrap.
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

    /// <summary>The rd_kafka_t* behind a Confluent.Kafka client (the binding keeps it internal).</summary>
    public static IntPtr NativeHandle(IClient client)
    {
        PropertyInfo property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("Confluent.Kafka's Handle has no LibrdkafkaHandle property.");
        var safeHandle = (SafeHandle)property.GetValue(client.Handle)!;
        return safeHandle.DangerousGetHandle();
    }
}
