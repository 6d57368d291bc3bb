using System.IO.Pipelines;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Network;

public sealed partial class KafkaConnection
{
    /// <summary>
    /// Sends responses in request order. Ready responses are written back to back and flushed once; before waiting
    /// on a response that is not ready yet, whatever was written is flushed so it never waits behind a slow one.
    /// Every queued request is awaited, even after an abort, so its frame copy is freed only when its handler is done.
    /// </summary>
    private async Task WriteLoopAsync()
    {
        PipeWriter output = _transport.Output;
        System.Threading.Channels.ChannelReader<PendingResponse> reader = _responses.Reader;
        bool unflushed = false;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryPeek(out PendingResponse next))
                {
                    if (unflushed && !next.Work.IsCompleted)
                    {
                        unflushed = false;
                        await FlushAsync(output).ConfigureAwait(false);
                    }

                    reader.TryRead(out _);
                    IApiMessage? response = await CompleteAsync(next).ConfigureAwait(false);
                    if (response is not null && !_aborted.IsCancellationRequested)
                    {
                        unflushed |= TryWriteResponse(output, next, response);
                    }

                    // A response may lease pooled buffers (Fetch records): written or dropped, they go back now.
                    (response as IDisposable)?.Dispose();
                }

                if (unflushed)
                {
                    unflushed = false;
                    await FlushAsync(output).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            ConnectionLog.TransportFailed(_logger, e, Info.ConnectionId, Info.Peer);
            Abort();
            await DrainAsync(reader).ConfigureAwait(false);
        }
    }

    /// <summary>Awaits a handler; its failure is logged once and closes the connection.</summary>
    private async ValueTask<IApiMessage?> CompleteAsync(PendingResponse pending)
    {
        try
        {
            return await pending.Work.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (!_aborted.IsCancellationRequested)
            {
                ConnectionLog.HandlerFailed(_logger, e, Info.ConnectionId, Info.Peer, pending.ApiKey.ToString(), pending.ApiVersion, pending.CorrelationId);
                Abort();
            }

            return null;
        }
        finally
        {
            pending.Frame?.Dispose();
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task DrainAsync(System.Threading.Channels.ChannelReader<PendingResponse> reader)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out PendingResponse pending))
            {
                await CompleteAsync(pending).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask FlushAsync(PipeWriter output)
    {
        FlushResult result = await output.FlushAsync().ConfigureAwait(false);
        Touch();
        if (result.IsCompleted || result.IsCanceled)
        {
            Abort(); // the peer stopped reading
        }
    }

    /// <summary>
    /// size (int32) + response header + body, sized first and written in one go. The header is v0 or v1 by the
    /// API's flexible versions; ApiVersions always uses v0 (KIP-511).
    /// </summary>
    private bool TryWriteResponse(PipeWriter output, in PendingResponse pending, IApiMessage response)
    {
        short headerVersion = ApiMessageTable.ResponseHeaderVersion(pending.ApiKey, pending.ApiVersion);
        _responseHeader.CorrelationId = pending.CorrelationId;
        try
        {
            int size = checked(_responseHeader.Size(headerVersion) + response.Size(pending.ApiVersion));
            var writer = new KafkaWriter(output);
            writer.WriteInt32(size);
            _responseHeader.Write(ref writer, headerVersion);
            response.Write(ref writer, pending.ApiVersion);
            writer.Flush();
            return true;
        }
        catch (Exception e) when (e is KafkaProtocolException or OverflowException or ArgumentException or InvalidOperationException)
        {
            // A response the handler built wrongly for this version. Part of it may be in the pipe: close.
            ConnectionLog.HandlerFailed(_logger, e, Info.ConnectionId, Info.Peer, pending.ApiKey.ToString(), pending.ApiVersion, pending.CorrelationId);
            Abort();
            return false;
        }
    }
}
