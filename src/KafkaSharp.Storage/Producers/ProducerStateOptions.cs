namespace KafkaSharp.Storage.Producers;

/// <summary>Broker-wide producer state settings, shared by every log and changeable at runtime (a cluster-wide dynamic config).</summary>
public sealed class ProducerStateOptions
{
    private long _producerIdExpirationMs = 86_400_000;

    /// <summary>producer.id.expiration.ms: a producer idle this long is forgotten by the partition.</summary>
    public long ProducerIdExpirationMs
    {
        get => Volatile.Read(ref _producerIdExpirationMs);
        set => Volatile.Write(ref _producerIdExpirationMs, value);
    }
}
