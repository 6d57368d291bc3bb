using System.Buffers;
using System.IO.Compression;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Protocol.Compression;

/// <summary>Gzip (RFC 1952), as Java's GZIPOutputStream writes it: one member, deflate inside.</summary>
public sealed class GzipCodec : ICompressionCodec
{
    private const int ChunkSize = 16 * 1024;

    public CompressionType Type => CompressionType.Gzip;

    public void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        using var sink = new BufferWriterStream(destination);
        using var gzip = new GZipStream(sink, CompressionLevel.Optimal, leaveOpen: true);
        gzip.Write(source);
    }

    public unsafe int Decompress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        fixed (byte* input = source)
        {
            using var stream = new UnmanagedMemoryStream(input, source.Length);
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            long total = 0;
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

                    destination.Advance(read);
                }
            }
            catch (InvalidDataException e)
            {
                CompressionThrow.Corrupt("gzip", e);
            }

            return (int)total;
        }
    }
}
