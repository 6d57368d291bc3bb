using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Compression;

/// <summary>
/// Gzip (RFC 1952), as Java's GZIPOutputStream and librdkafka write it: one member, deflate inside.
/// <code>
/// 1F 8B | method 8 | flags | mtime u32 | xfl | os | [optional fields] | deflate data | CRC-32 u32 LE | size u32 LE
/// </code>
/// .NET's GZipStream stops quietly at the end of a cut-off payload, so the trailer is checked here against the
/// output: a truncated (or multi-member) payload fails that check and is reported as corrupt.
/// </summary>
public sealed class GzipCodec : ICompressionCodec
{
    private const int ChunkSize = 16 * 1024;

    public CompressionType Type => CompressionType.Gzip;

    // .NET's GZipStream writes nothing at all for empty input, which no gzip reader accepts; this is the
    // member Java writes instead: header, an empty final deflate block, CRC 0 and size 0.
    private static ReadOnlySpan<byte> EmptyMember => [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        if (source.IsEmpty)
        {
            destination.Write(EmptyMember);
            return;
        }

        using var sink = new BufferWriterStream(destination);
        using var gzip = new GZipStream(sink, CompressionLevel.Optimal, leaveOpen: true);
        gzip.Write(source);
    }

    public unsafe int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        if (source.IsEmpty)
        {
            CompressionThrow.Corrupt("gzip", "empty payload");
        }

        fixed (byte* input = source)
        {
            using var stream = new UnmanagedMemoryStream(input, source.Length);
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            long total = 0;
            uint crc = 0xFFFFFFFF;
            try
            {
                while (true)
                {
                    // One byte past the cap is requested so that reaching it exactly is told apart from exceeding it.
                    long allowance = (long)maxOutputBytes - total + 1;
                    Span<byte> span = destination.GetSpan(ChunkSize);
                    if (span.Length > allowance)
                    {
                        span = span[..(int)allowance];
                    }

                    int read = gzip.Read(span);
                    if (read == 0)
                    {
                        break;
                    }

                    total += read;
                    if (total > maxOutputBytes)
                    {
                        CompressionThrow.OutputTooLarge("gzip", maxOutputBytes);
                    }

                    crc = Records.Crc32Ieee.Append(crc, span[..read]);
                    destination.Advance(read);
                }
            }
            catch (InvalidDataException e)
            {
                CompressionThrow.Corrupt("gzip", e);
            }

            if (source.Length < 18 ||
                BinaryPrimitives.ReadUInt32LittleEndian(source[^8..]) != ~crc ||
                BinaryPrimitives.ReadUInt32LittleEndian(source[^4..]) != (uint)total)
            {
                CompressionThrow.Corrupt("gzip", "the trailer does not match the data (truncated payload?)");
            }

            return (int)total;
        }
    }
}
