namespace KafkaSharp.Storage.Tests.Support;

/// <summary>A record to put in a test batch; null key or value are Kafka nulls (a null value is a tombstone).</summary>
public sealed record TestRecord(byte[]? Key, byte[]? Value, long TimestampDelta = 0)
{
    public static TestRecord Of(string? key, string? value, long timestampDelta = 0) =>
        new(key is null ? null : System.Text.Encoding.UTF8.GetBytes(key), value is null ? null : System.Text.Encoding.UTF8.GetBytes(value), timestampDelta);
}
