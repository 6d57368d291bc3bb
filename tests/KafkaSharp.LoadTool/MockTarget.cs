using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaSharp.LoadTool;

/// <summary>
/// librdkafka's in-memory mock cluster (<c>test.mock.num.brokers=1</c>), the reference: a broker with no disk and
/// no real log. A host client owns the cluster; the workload's clients connect to its loopback listener like to any
/// broker, so both targets see identical client code paths.
/// </summary>
internal sealed class MockTarget : ITarget
{
    private readonly IProducer<byte[], byte[]> _host;
    private readonly IntPtr _cluster;

    private MockTarget(IProducer<byte[], byte[]> host, IntPtr cluster, string bootstrap)
    {
        _host = host;
        _cluster = cluster;
        BootstrapServers = bootstrap;
    }

    public string Name => "mock";

    public string BootstrapServers { get; }

    public static MockTarget Start()
    {
        var config = new ProducerConfig { BootstrapServers = "unused" };
        config.Set("test.mock.num.brokers", "1");
        IProducer<byte[], byte[]> host = new ProducerBuilder<byte[], byte[]>(config).Build();
        IntPtr cluster = RdKafka.HandleMockCluster(RdKafka.NativeHandle(host));
        if (cluster == IntPtr.Zero)
        {
            host.Dispose();
            throw new InvalidOperationException("librdkafka created no mock cluster for test.mock.num.brokers=1.");
        }

        string bootstrap = Marshal.PtrToStringUTF8(RdKafka.MockClusterBootstraps(cluster)) ?? throw new InvalidOperationException("The mock cluster has no bootstrap address.");
        return new MockTarget(host, cluster, bootstrap);
    }

    public Task CreateTopicAsync(string topic, int partitions)
    {
        int error = RdKafka.MockTopicCreate(_cluster, topic, partitions, 1);
        return error == 0 ? Task.CompletedTask : throw new InvalidOperationException($"rd_kafka_mock_topic_create failed with {error}.");
    }

    public ValueTask DisposeAsync()
    {
        _host.Dispose();
        return ValueTask.CompletedTask;
    }
}
