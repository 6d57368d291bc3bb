namespace KafkaSharp.LoadTool;

/// <summary>A cluster the workload runs against: KafkaSharp or librdkafka's mock.</summary>
internal interface ITarget : IAsyncDisposable
{
    string Name { get; }

    string BootstrapServers { get; }

    Task CreateTopicAsync(string topic, int partitions);
}
