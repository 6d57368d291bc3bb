namespace KafkaSharp.Protocol;

/// <summary>
/// A tagged field (KIP-482) that the reading side does not know. It is kept as raw bytes so that a message
/// read and written again carries it unchanged.
/// </summary>
public sealed class RawTaggedField(int tag, byte[] data)
{
    public int Tag { get; } = tag;

    public byte[] Data { get; } = data;
}
