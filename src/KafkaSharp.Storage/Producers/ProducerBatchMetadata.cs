namespace KafkaSharp.Storage.Producers;

/// <summary>
/// What the log remembers of one of a producer's recent batches (Kafka's BatchMetadata): enough to spot a retried
/// batch and answer it with the offsets it was first given.
/// </summary>
public readonly record struct ProducerBatchMetadata(int LastSequence, long LastOffset, int OffsetDelta, long Timestamp)
{
    public int FirstSequence => Sequences.Decrement(LastSequence, OffsetDelta);

    public long FirstOffset => LastOffset - OffsetDelta;
}

/// <summary>Sequence arithmetic: sequences wrap from Int32.MaxValue back to 0, as Kafka's producer numbers them.</summary>
public static class Sequences
{
    /// <summary>No sequence (a batch without a producer id, or a producer with no batch cached).</summary>
    public const int None = -1;

    public static int Increment(int sequence, int increment) =>
        sequence > int.MaxValue - increment ? increment - (int.MaxValue - sequence) - 1 : sequence + increment;

    public static int Decrement(int sequence, int decrement) =>
        sequence < decrement ? int.MaxValue - (decrement - sequence) + 1 : sequence - decrement;

    /// <summary>True when <paramref name="next"/> directly follows <paramref name="last"/> (0 follows Int32.MaxValue).</summary>
    public static bool Follows(int last, int next) => next == last + 1L || (next == 0 && last == int.MaxValue);
}
