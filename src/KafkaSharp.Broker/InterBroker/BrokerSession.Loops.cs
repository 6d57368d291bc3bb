using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.InterBroker;

internal sealed partial class BrokerSession
{
    /// <summary>Writes every queued request, then flushes once: a burst of controller requests costs one syscall.</summary>
    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(_closed.Token).ConfigureAwait(false))
            {
                while (_outgoing.Reader.TryRead(out PendingRequest? pending))
                {
                    if (pending.IsAbandoned)
                    {
                        _pending.TryRemove(pending.CorrelationId, out _);
                        continue;
                    }

                    WriteFrame(pending);
                }

                FlushResult flush = await _output.FlushAsync(_closed.Token).ConfigureAwait(false);
                if (flush.IsCompleted)
                {
                    break;
                }

            }
        }
        catch (OperationCanceledException) when (IsClosed)
        {
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Fail(new BrokerConnectionException(_brokerId, "writing to the connection failed", e));
        }
    }

    /// <summary>
    /// One request frame:
    /// <code>
    /// +----------------+------------------------------------------------+----------------+
    /// | size (int32 BE)| header (api key, version, correlation, client) | body           |
    /// +----------------+------------------------------------------------+----------------+
    /// </code>
    /// </summary>
    private void WriteFrame(PendingRequest pending)
    {
        var header = new RequestHeader
        {
            RequestApiKey = (short)pending.ApiKey,
            RequestApiVersion = pending.Version,
            CorrelationId = pending.CorrelationId,
            ClientId = _options.ClientId,
        };
        short headerVersion = ApiMessageTable.RequestHeaderVersion(pending.ApiKey, pending.Version);
        int size;
        try
        {
            size = header.Size(headerVersion) + pending.Request.Size(pending.Version);
        }
        catch (Exception e) when (e is KafkaProtocolException or UnsupportedVersionException)
        {
            // The message cannot be encoded at this version (a field it lacks is set): nothing was written, so only
            // this request fails.
            _pending.TryRemove(pending.CorrelationId, out _);
            pending.TryFail(e);
            return;
        }

        try
        {
            var writer = new KafkaWriter(_output);
            writer.WriteInt32(size);
            header.Write(ref writer, headerVersion);
            pending.Request.Write(ref writer, pending.Version);
            writer.Flush();
        }
        catch (Exception e) when (e is KafkaProtocolException or UnsupportedVersionException)
        {
            // Part of the frame may be in the pipe already: the stream is out of step, so the session ends.
            _pending.TryRemove(pending.CorrelationId, out _);
            pending.TryFail(e);
            Fail(new BrokerConnectionException(_brokerId, $"could not encode {pending.ApiKey} v{pending.Version}", e));
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                ReadResult result = await _input.ReadAsync(_closed.Token).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    while (TryTakeFrame(ref buffer, out ReadOnlySequence<byte> frame))
                    {
                        Complete(frame);
                    }

                    if (result.IsCompleted)
                    {
                        Fail(new BrokerConnectionException(_brokerId, buffer.IsEmpty
                            ? "the broker closed the connection"
                            : $"the broker closed the connection inside a response ({buffer.Length} bytes)"));
                        return;
                    }
                }
                finally
                {
                    _input.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (OperationCanceledException) when (IsClosed)
        {
        }
        catch (BrokerConnectionException e)
        {
            Fail(e);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Fail(new BrokerConnectionException(_brokerId, "reading from the connection failed", e));
        }
    }

    private bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < sizeof(int))
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[sizeof(int)];
        buffer.Slice(0, sizeof(int)).CopyTo(prefix);
        int size = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (size < sizeof(int) || size > _options.MaxResponseSize)
        {
            throw new BrokerConnectionException(_brokerId, $"invalid response size {size}");
        }

        if (buffer.Length - sizeof(int) < size)
        {
            return false;
        }

        frame = buffer.Slice(sizeof(int), size);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    /// <summary>
    /// Hands a response frame to the request with its correlation id. Brokers answer in order, so an id nobody waits
    /// for means the stream is out of step: the session ends. A body that does not parse fails only its request.
    /// </summary>
    private void Complete(in ReadOnlySequence<byte> frame)
    {
        Span<byte> idBytes = stackalloc byte[sizeof(int)];
        frame.Slice(0, sizeof(int)).CopyTo(idBytes);
        int correlationId = BinaryPrimitives.ReadInt32BigEndian(idBytes);
        if (!_pending.TryRemove(correlationId, out PendingRequest? pending))
        {
            throw new BrokerConnectionException(_brokerId, $"response with unexpected correlation id {correlationId}");
        }

        if (pending.IsAbandoned)
        {
            return;
        }

        int length = checked((int)frame.Length);
        byte[] buffer = pending.Pooled ? ArrayPool<byte>.Shared.Rent(length) : new byte[length];
        frame.CopyTo(buffer);
        try
        {
            IApiMessage response = Parse(pending, new ReadOnlyMemory<byte>(buffer, 0, length));
            if (!pending.TrySucceed(response, pending.Pooled ? buffer : null) && pending.Pooled)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (Exception e) when (e is KafkaProtocolException or UnsupportedVersionException or InvalidOperationException)
        {
            if (pending.Pooled)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            pending.TryFail(new BrokerConnectionException(_brokerId, $"malformed {pending.ApiKey} v{pending.Version} response: {e.Message}", e));
        }
    }

    private static IApiMessage Parse(PendingRequest pending, ReadOnlyMemory<byte> frame)
    {
        var reader = new KafkaReader(frame);
        var header = new ResponseHeader();
        header.Read(ref reader, ApiMessageTable.ResponseHeaderVersion(pending.ApiKey, pending.Version));
        IApiMessage response = ApiMessageTable.CreateResponse(pending.ApiKey);
        long bodyStart = frame.Length - reader.Remaining;
        try
        {
            response.Read(ref reader, pending.Version);
        }
        catch (KafkaProtocolException) when (pending.ApiKey == ApiKey.ApiVersions && pending.Version > 0)
        {
            // KIP-511: a broker that does not know the requested ApiVersions version answers in the v0 layout.
            var v0 = new KafkaReader(frame[(int)bodyStart..]);
            response = ApiMessageTable.CreateResponse(pending.ApiKey);
            response.Read(ref v0, 0);
            return response;
        }

        if (reader.Remaining != 0)
        {
            throw new KafkaProtocolException($"{reader.Remaining} bytes left after the response body.");
        }

        return response;
    }
}
