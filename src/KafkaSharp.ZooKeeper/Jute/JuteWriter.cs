using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KafkaSharp.ZooKeeper.Jute;

/// <summary>
/// Writes jute's binary archive format (see <see cref="JuteReader"/> for the encoding) into a buffer writer.
/// </summary>
internal readonly ref struct JuteWriter
{
    private readonly IBufferWriter<byte> _output;

    public JuteWriter(IBufferWriter<byte> output) => _output = output;

    public void WriteBool(bool value)
    {
        _output.GetSpan(1)[0] = value ? (byte)1 : (byte)0;
        _output.Advance(1);
    }

    public void WriteInt(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_output.GetSpan(4), value);
        _output.Advance(4);
    }

    public void WriteLong(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_output.GetSpan(8), value);
        _output.Advance(8);
    }

    public void WriteBuffer(ReadOnlySpan<byte> value)
    {
        WriteInt(value.Length);
        _output.Write(value);
    }

    /// <summary>Writes a string; null is written as jute's null (length -1).</summary>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt(-1);
            return;
        }

        int length = Encoding.UTF8.GetByteCount(value);
        WriteInt(length);
        int written = Encoding.UTF8.GetBytes(value, _output.GetSpan(length));
        _output.Advance(written);
    }

    public void WriteStringVector(IReadOnlyCollection<string> values)
    {
        WriteInt(values.Count);
        foreach (string value in values)
        {
            WriteString(value);
        }
    }
}
