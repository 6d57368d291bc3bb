namespace KafkaSharp.Broker.Cluster;

/// <summary>Kafka's internal topics (Topic.isInternal): shown with is_internal=true and never deletable by clients.</summary>
public static class InternalTopics
{
    public const string ConsumerOffsets = "__consumer_offsets";

    public const string TransactionState = "__transaction_state";

    public static bool IsInternal(string topic) =>
        string.Equals(topic, ConsumerOffsets, StringComparison.Ordinal) || string.Equals(topic, TransactionState, StringComparison.Ordinal);
}
