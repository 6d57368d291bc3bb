using System.Diagnostics;
using KafkaSharp.ZooKeeper.Protocol;
using KafkaSharp.ZooKeeper.Protocol.Requests;

namespace KafkaSharp.ZooKeeper.Connection;

internal sealed partial class ZooKeeperConnection
{
    /// <summary>
    /// Writes queued requests as they come, flushing once per batch, and a ping whenever nothing was sent for the
    /// ping interval, so the server sees the session alive and the reader hears something back.
    /// </summary>
    private async Task WriteLoopAsync(IReadOnlyList<IJuteRequest> setWatches, IConnectionOwner owner, TimeSpan pingInterval, CancellationToken cancellationToken)
    {
        foreach (IJuteRequest request in setWatches)
        {
            WriteRequest(Xid.SetWatches, OpCode.SetWatches, request);
        }

        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        long lastSend = Stopwatch.GetTimestamp();
        Task<bool>? packetArrived = null;
        Task? pingDue = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool wrote = false;
            while (owner.Outgoing.TryRead(out Packet? packet))
            {
                // Into the pending queue before the bytes leave, so the reply can never arrive first.
                packet.Xid = owner.NextXid();
                _pending.Enqueue(packet);
                WriteRequest(packet.Xid, packet.Type, packet.Body);
                wrote = true;
            }

            if (wrote)
            {
                await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
                lastSend = Stopwatch.GetTimestamp();
            }

            TimeSpan untilPing = pingInterval - Stopwatch.GetElapsedTime(lastSend);
            if (untilPing <= TimeSpan.Zero)
            {
                WriteRequest(Xid.Ping, OpCode.Ping, EmptyRequest.Instance);
                await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
                lastSend = Stopwatch.GetTimestamp();
                continue;
            }

            // One wait for a packet and one ping timer stay armed across iterations rather than one per pass.
            packetArrived ??= owner.Outgoing.WaitToReadAsync(cancellationToken).AsTask();
            pingDue ??= Task.Delay(untilPing, cancellationToken);
            Task woke = await Task.WhenAny(packetArrived, pingDue).ConfigureAwait(false);
            if (woke == pingDue)
            {
                pingDue = null;
            }
            else
            {
                if (!packetArrived.IsCompletedSuccessfully || !packetArrived.Result)
                {
                    // Cancelled, or the queue was completed because the session is over.
                    cancellationToken.ThrowIfCancellationRequested();
                    return;
                }

                packetArrived = null;
            }
        }
    }

    private void WriteRequest(int xid, OpCode type, IJuteRequest body) => RequestFrame.Write(_frame, _output, xid, type, body);
}
