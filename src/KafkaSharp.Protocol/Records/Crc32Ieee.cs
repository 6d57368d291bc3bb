namespace KafkaSharp.Protocol.Records;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of legacy magic 0 and 1 messages.
/// Table-driven, slicing by four bytes; legacy traffic is rare enough that this is plenty.
/// </summary>
public static class Crc32Ieee
{
    private const uint Polynomial = 0xEDB88320;
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFF, data);

    /// <summary>Continues a running (non-finalised) CRC over more bytes.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        while (data.Length >= 4)
        {
            crc ^= (uint)(data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24));
            crc = table[(3 * 256) + (crc & 0xFF)] ^ table[(2 * 256) + ((crc >> 8) & 0xFF)] ^
                  table[256 + ((crc >> 16) & 0xFF)] ^ table[crc >> 24];
            data = data[4..];
        }

        foreach (byte b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    /// <summary>Four 256-entry tables: the classic byte table and its shifts for slicing-by-4.</summary>
    private static uint[] BuildTable()
    {
        var table = new uint[4 * 256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            }

            table[i] = c;
        }

        for (int i = 0; i < 256; i++)
        {
            for (int slice = 1; slice < 4; slice++)
            {
                uint previous = table[((slice - 1) * 256) + i];
                table[(slice * 256) + i] = (previous >> 8) ^ table[previous & 0xFF];
            }
        }

        return table;
    }
}
