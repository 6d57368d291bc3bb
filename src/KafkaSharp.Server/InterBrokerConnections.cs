using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;

namespace KafkaSharp.Server;

/// <summary>
/// Tells a connection from another broker by its first request's client id, without consuming anything. While a
/// ZooKeeper-mode broker starts, client connections wait (see <see cref="BrokerSlot"/>) until the controller's
/// UpdateMetadata has arrived; that UpdateMetadata, and the LeaderAndIsr after it, come over connections from the
/// controller (client id "broker-&lt;id&gt;", as the inter-broker channel sends it), which must therefore be served
/// at once.
/// </summary>
internal static class InterBrokerConnections
{
    private const string Prefix = "broker-";

    // size (4), api key (2), api version (2), correlation id (4), client id length (2): request header v1 and v2 alike.
    private const int ClientIdOffset = 14;

    public static async Task<bool> IsFromBrokerAsync(PipeReader input, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length >= ClientIdOffset)
            {
                short length = ReadInt16(buffer.Slice(ClientIdOffset - 2, 2));
                if (length < Prefix.Length)
                {
                    // Examined stays short of what was read, so the broker's first read returns at once.
                    input.AdvanceTo(buffer.Start, buffer.GetPosition(ClientIdOffset - 1));
                    return false;
                }

                if (buffer.Length >= ClientIdOffset + length)
                {
                    bool fromBroker = Encoding.UTF8.GetString(buffer.Slice(ClientIdOffset, length)).StartsWith(Prefix, StringComparison.Ordinal);
                    input.AdvanceTo(buffer.Start, buffer.GetPosition(ClientIdOffset + length - 1));
                    return fromBroker;
                }
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start, buffer.Start);
                return false;
            }

            // Not enough yet: everything was examined, so the next read waits for more.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static short ReadInt16(ReadOnlySequence<byte> bytes)
    {
        Span<byte> two = stackalloc byte[2];
        bytes.CopyTo(two);
        return BinaryPrimitives.ReadInt16BigEndian(two);
    }
}
