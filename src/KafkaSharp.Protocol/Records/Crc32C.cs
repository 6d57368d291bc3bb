using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of record batch v2. Uses the CPU's crc32 instruction through
/// <see cref="BitOperations.Crc32C(uint, ulong)"/>, eight bytes a step, with a table only for machines without it.
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected Castagnoli polynomial
    private static readonly uint[] Table = BuildTable();

    private static bool HasIntrinsics => Sse42.X64.IsSupported || Crc32.Arm64.IsSupported;

    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFF, data);

    public static uint Compute(in ReadOnlySequence<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (ReadOnlyMemory<byte> segment in data)
        {
            crc = Append(crc, segment.Span);
        }

        return ~crc;
    }

    /// <summary>Continues a running (non-finalised) CRC over more bytes.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (!HasIntrinsics)
        {
            return AppendTable(crc, data);
        }

        // Three independent streams would hide the instruction's latency further, but one stream already
        // runs at several GB/s, well past what a 2-core broker moves; keep it simple.
        while (data.Length >= 32)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[16..]));
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[24..]));
            data = data[32..];
        }

        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    private static uint AppendTable(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
