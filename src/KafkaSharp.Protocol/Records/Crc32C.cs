using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace KafkaSharp.Protocol.Records;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of record batch v2. Uses the CPU's crc32 instruction through
/// <see cref="BitOperations.Crc32C(uint, ulong)"/>, with a table only for machines without it.
/// <para>
/// The instruction has a latency of about three cycles but a throughput of one a cycle, so one dependent chain
/// leaves two thirds of the unit idle. Large inputs are therefore cut into three equal blocks whose CRCs run as
/// independent chains in one loop, then joined: with the raw (non-inverted) register, CRC(a‖b) equals
/// CRC(a)·x^(8·|b|) mod P xor CRC(b), and the shift is one carry-less multiply plus one crc32 reduction.
/// </para>
/// </summary>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected Castagnoli polynomial

    // Bytes per stream of the long and short rounds. A round costs one join (two multiplies, two reductions,
    // ~20 cycles), so long rounds amortise it on big requests and short rounds still pay off on a 16 KiB batch.
    private const int LongBlock = 8192;
    private const int ShortBlock = 256;

    private static readonly uint[] Table = BuildTable();

    // x^(8n - 33) mod P for n = block and 2 × block: see Shift for why 33 less.
    private static readonly uint LongShift1 = XPowModP((8 * LongBlock) - 33);
    private static readonly uint LongShift2 = XPowModP((8 * 2 * LongBlock) - 33);
    private static readonly uint ShortShift1 = XPowModP((8 * ShortBlock) - 33);
    private static readonly uint ShortShift2 = XPowModP((8 * 2 * ShortBlock) - 33);

    // 64-bit crc32 steps exist only on 64-bit x86 and Arm; both are little-endian, which the 8-byte loads rely on.
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

        ref byte start = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length;
        nuint offset = 0;
        while (length - offset >= 3 * LongBlock)
        {
            crc = AppendThreeStreams(crc, ref Unsafe.Add(ref start, offset), LongBlock, LongShift1, LongShift2);
            offset += 3 * LongBlock;
        }

        while (length - offset >= 3 * ShortBlock)
        {
            crc = AppendThreeStreams(crc, ref Unsafe.Add(ref start, offset), ShortBlock, ShortShift1, ShortShift2);
            offset += 3 * ShortBlock;
        }

        return AppendOneStream(crc, ref Unsafe.Add(ref start, offset), length - offset);
    }

    /// <summary>
    /// CRC of 3 × <paramref name="block"/> bytes: the three thirds run as independent chains (the second and third
    /// from zero), then the first is shifted past two blocks, the second past one, and all three are xored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint AppendThreeStreams(uint crc, ref byte data, nuint block, uint shiftOne, uint shiftTwo)
    {
        uint a = crc;
        uint b = 0;
        uint c = 0;
        ref byte second = ref Unsafe.Add(ref data, block);
        ref byte third = ref Unsafe.Add(ref data, 2 * block);
        for (nuint i = 0; i < block; i += 8)
        {
            a = BitOperations.Crc32C(a, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, i)));
            b = BitOperations.Crc32C(b, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref second, i)));
            c = BitOperations.Crc32C(c, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref third, i)));
        }

        return Shift(a, shiftTwo) ^ Shift(b, shiftOne) ^ c;
    }

    private static uint AppendOneStream(uint crc, ref byte data, nuint length)
    {
        nuint i = 0;
        for (; length - i >= 8; i += 8)
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, i)));
        }

        for (; i < length; i++)
        {
            crc = BitOperations.Crc32C(crc, Unsafe.Add(ref data, i));
        }

        return crc;
    }

    /// <summary>
    /// <paramref name="crc"/> · x^(8n) mod P, given <paramref name="constant"/> = x^(8n - 33) mod P (bit-reflected).
    /// The carry-less product of two reflected 32-bit values is the reflected 64-bit value of their product times x;
    /// crc32 of that 64-bit value from zero multiplies by x^32 and reduces; together the 33 missing powers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Shift(uint crc, uint constant) => BitOperations.Crc32C(0u, CarrylessMultiply(crc, constant));

    /// <summary>32 × 32 → 64-bit carry-less product: PCLMULQDQ, Arm PMULL, or bit by bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong CarrylessMultiply(uint left, uint right)
    {
        if (Pclmulqdq.IsSupported)
        {
            return Pclmulqdq.CarrylessMultiply(Vector128.CreateScalarUnsafe((ulong)left), Vector128.CreateScalarUnsafe((ulong)right), 0x00).ToScalar();
        }

        if (System.Runtime.Intrinsics.Arm.Aes.IsSupported)
        {
            return System.Runtime.Intrinsics.Arm.Aes.PolynomialMultiplyWideningLower(Vector64.CreateScalar((ulong)left), Vector64.CreateScalar((ulong)right)).ToScalar();
        }

        return CarrylessMultiplySoftware(left, right);
    }

    internal static ulong CarrylessMultiplySoftware(uint left, uint right)
    {
        ulong product = 0;
        ulong shifted = left;
        for (uint bits = right; bits != 0; bits >>= 1, shifted <<= 1)
        {
            if ((bits & 1) != 0)
            {
                product ^= shifted;
            }
        }

        return product;
    }

    /// <summary>x^<paramref name="power"/> mod P, bit-reflected (bit 31 is x^0); computed once per constant.</summary>
    internal static uint XPowModP(int power)
    {
        uint value = 0x80000000;
        for (int i = 0; i < power; i++)
        {
            value = (value & 1) != 0 ? (value >> 1) ^ Polynomial : value >> 1;
        }

        return value;
    }

    /// <summary>The byte-at-a-time reference, used without the crc32 instruction and by tests as the oracle.</summary>
    internal static uint AppendTable(uint crc, ReadOnlySpan<byte> data)
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
