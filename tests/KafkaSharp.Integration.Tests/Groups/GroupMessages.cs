using System.Text;
using Confluent.Kafka;
using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>A message a test produced, where it landed and what it holds.</summary>
public sealed record ProducedMessage(int Partition, long Offset, string Value);

public static class GroupMessages
{
    /// <summary>
    /// Produces <paramref name="perPartition"/> messages to each partition (values name the batch, partition and
    /// index) with acks=all and returns where each landed.
    /// </summary>
    public static async Task<List<ProducedMessage>> ProduceAsync(string bootstrap, string topic, int partitions, int perPartition, string batch = "b")
    {
        using IProducer<byte[], byte[]> producer = new ProducerBuilder<byte[], byte[]>(Clients.ProducerConfig(bootstrap)).Build();
        var sends = new List<Task<DeliveryResult<byte[], byte[]>>>();
        for (int p = 0; p < partitions; p++)
        {
            for (int i = 0; i < perPartition; i++)
            {
                sends.Add(producer.ProduceAsync(new TopicPartition(topic, p), new Message<byte[], byte[]> { Value = Encoding.UTF8.GetBytes($"{batch}-p{p}-{i}") }));
            }
        }

        DeliveryResult<byte[], byte[]>[] results = await Task.WhenAll(sends).WaitAsync(Clients.Timeout);
        return [.. results.Select(r => new ProducedMessage(r.Partition.Value, r.Offset.Value, Encoding.UTF8.GetString(r.Message.Value)))];
    }

    public static string NewGroupName(string prefix) => $"{prefix}-group-{Guid.NewGuid():N}";
}
