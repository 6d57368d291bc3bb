using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace KafkaSharp.Broker.Network;

public sealed partial class KafkaConnection
{
    /// <summary>
    /// Frames requests. Every request is a size-prefixed frame:
    /// <code>
    /// +----------------+---------------------------------------------+
    /// | size (int32 BE)| request header | request body               |
    /// +----------------+---------------------------------------------+
    ///                  |&lt;------------------ size bytes ---------------&gt;|
    /// </code>
    /// The size is checked before anything is buffered (a 2 GiB prefix costs nothing), the frame is parsed only once
    /// complete, and the parser sees a slice of exactly size bytes, so a lying inner length cannot read past it.
    /// </summary>
    private async Task ReadLoopAsync(CancellationToken stopping)
    {
        PipeReader input = _transport.Input;
        bool keepReading = true;
        while (keepReading)
        {
            ReadResult result = await input.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition consumed = buffer.Start;
            SequencePosition examined = buffer.End;
            try
            {
                if (result.IsCanceled)
                {
                    keepReading = OnReadCanceled(stopping);
                    examined = consumed;
                    continue;
                }

                if (!buffer.IsEmpty)
                {
                    Touch();
                }

                string? error = null;
                while (TryTakeFrame(ref buffer, out ReadOnlySequence<byte> frame, out error))
                {
                    // Dispatch parses the frame before returning; past this point nothing references the pipe's
                    // memory except requests that own a copy (see PooledFrame), so advancing is always safe.
                    if (!Dispatch(frame, out PendingResponse pending))
                    {
                        keepReading = false;
                        break;
                    }

                    consumed = buffer.Start;
                    Interlocked.Increment(ref _inFlight);
                    if (!_responses.Writer.TryWrite(pending))
                    {
                        await _responses.Writer.WriteAsync(pending, CancellationToken.None).ConfigureAwait(false);
                    }

                    if (_aborted.IsCancellationRequested)
                    {
                        keepReading = false;
                        break;
                    }
                }

                if (keepReading && error is not null)
                {
                    CloseForProtocolError(error);
                    keepReading = false;
                }

                if (keepReading && result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        ConnectionLog.TruncatedFrame(_logger, Info.ConnectionId, Info.Peer, buffer.Length);
                    }

                    keepReading = false;
                }
            }
            finally
            {
                input.AdvanceTo(consumed, examined);
            }
        }
    }

    /// <summary>A cancelled read means shutdown, abort or idleness; anything else (a stale cancel) reads on.</summary>
    private bool OnReadCanceled(CancellationToken stopping)
    {
        if (stopping.IsCancellationRequested || _aborted.IsCancellationRequested)
        {
            return false;
        }

        if (_idleExpired)
        {
            ConnectionLog.IdleClosed(_logger, Info.ConnectionId, Info.Peer);
            Abort();
            return false;
        }

        return true;
    }

    /// <summary>
    /// Takes one complete frame off the front of <paramref name="buffer"/>. False with no error: wait for more
    /// bytes. False with an error: the size prefix is invalid and the connection must close.
    /// </summary>
    private bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out string? error)
    {
        frame = default;
        error = null;
        if (buffer.Length < sizeof(int))
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[sizeof(int)];
        buffer.Slice(0, sizeof(int)).CopyTo(prefix);
        int size = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (size < 0)
        {
            error = $"invalid request size {size}";
            return false;
        }

        if (size > _options.MaxRequestSize)
        {
            error = $"request size {size} is larger than socket.request.max.bytes ({_options.MaxRequestSize})";
            return false;
        }

        if (buffer.Length - sizeof(int) < size)
        {
            return false;
        }

        frame = buffer.Slice(sizeof(int), size);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    private void CloseForProtocolError(string reason)
    {
        ConnectionLog.ProtocolError(_logger, Info.ConnectionId, Info.Peer, Info.ListenerName, reason);
        Abort();
    }
}
