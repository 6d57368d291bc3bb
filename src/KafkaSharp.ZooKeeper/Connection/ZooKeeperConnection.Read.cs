using System.Buffers;
using System.IO.Pipelines;
using KafkaSharp.ZooKeeper.Jute;
using KafkaSharp.ZooKeeper.Protocol;
using KafkaSharp.ZooKeeper.Protocol.Responses;

namespace KafkaSharp.ZooKeeper.Connection;

internal sealed partial class ZooKeeperConnection
{
    /// <summary>
    /// Reads frames until the server closes, the stream goes wrong, or nothing (not even a ping reply) arrives
    /// within the read timeout: a silent server is treated as a dead one, and the session moves to another.
    /// </summary>
    private async Task ReadLoopAsync(IConnectionOwner owner, TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            silence.CancelAfter(readTimeout);
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(silence.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Host} sent nothing for {readTimeout.TotalMilliseconds:0} ms.");
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            try
            {
                while (TryReadFrame(ref buffer, _maxFrameSize, out ReadOnlySequence<byte> frame))
                {
                    HandleFrame(frame, owner);
                }

                if (result.IsCompleted)
                {
                    throw new EndOfStreamException($"{Host} closed the connection.");
                }
            }
            finally
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private void HandleFrame(ReadOnlySequence<byte> frame, IConnectionOwner owner)
    {
        var reader = new JuteReader(frame);
        ReplyHeader header = ReplyHeader.Read(ref reader);
        switch (header.Xid)
        {
            case Xid.Notification:
                (WatchEventType type, _, string path) = WatcherEventCodec.Read(ref reader);
                owner.OnNotification(type, path);
                return;
            case Xid.Ping:
            case Xid.Auth:
            case Xid.SetWatches:
                return;
            default:
                break;
        }

        if (!_pending.TryDequeue(out Packet? packet))
        {
            throw new JuteException($"{Host} replied with xid {header.Xid} but no request is outstanding.");
        }

        if (packet.Xid != header.Xid)
        {
            packet.Fail(new ConnectionLossException(packet.Path, $"{Host} replied out of order (xid {header.Xid}, expected {packet.Xid})."));
            throw new JuteException($"{Host} replied with xid {header.Xid} while xid {packet.Xid} was next.");
        }

        if (header.Zxid > 0)
        {
            owner.OnZxid(header.Zxid);
        }

        // Registered before the caller hears the reply, and before the next frame is read: a notification for this
        // watch can only come after this reply on the same stream, so it always finds the watch in place.
        if (packet.Watch is { } watch)
        {
            owner.OnWatchReply(watch, header.Err);
        }

        packet.Complete(header, ref reader);
    }
}
