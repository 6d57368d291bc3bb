using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Tests.Support;

/// <summary>
/// The client end of an in-memory connection: writes request frames, reads response frames. Every wait is bounded.
/// </summary>
internal sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly PipeWriter _output;
    private readonly PipeReader _input;
    private int _nextCorrelationId = 1;

    public TestClient(PipeWriter output, PipeReader input, Task serving)
    {
        _output = output;
        _input = input;
        Serving = serving;
    }

    /// <summary>The broker's side of the connection; completes when the broker is done with it.</summary>
    public Task Serving { get; }

    public int Send(IApiMessage request, short version, string? clientId = "test-client")
    {
        int correlationId = _nextCorrelationId++;
        WriteFrame(_output, request, version, correlationId, clientId);
        return correlationId;
    }

    public async Task FlushAsync() => await _output.FlushAsync().AsTask().WaitAsync(Timeout);

    public async Task<TResponse> RequestAsync<TResponse>(IApiMessage request, short version)
        where TResponse : IApiMessage
    {
        int correlationId = Send(request, version);
        await FlushAsync();
        (int received, IApiMessage response) = await ReadResponseAsync(request.ApiKey, version);
        Assert.Equal(correlationId, received);
        return (TResponse)response;
    }

    public async Task WriteRawAsync(byte[] bytes)
    {
        await _output.WriteAsync(bytes).AsTask().WaitAsync(Timeout);
    }

    public async Task CompleteAsync() => await _output.CompleteAsync();

    /// <summary>Reads one response frame and parses it as <paramref name="apiKey"/> at <paramref name="version"/>.</summary>
    public async Task<(int CorrelationId, IApiMessage Response)> ReadResponseAsync(ApiKey apiKey, short version)
    {
        byte[] frame = await ReadFrameAsync() ?? throw new InvalidOperationException("The broker closed the connection.");
        var reader = new KafkaReader(new ReadOnlyMemory<byte>(frame));
        var header = new ResponseHeader();
        header.Read(ref reader, ApiMessageTable.ResponseHeaderVersion(apiKey, version));
        IApiMessage response = ApiMessageTable.CreateResponse(apiKey);
        response.Read(ref reader, version);
        Assert.Equal(0, reader.Remaining);
        return (header.CorrelationId, response);
    }

    /// <summary>The next frame's bytes (after the size), or null at end of stream.</summary>
    public async Task<byte[]?> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            ReadResult result = await _input.ReadAsync(timeout.Token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.Length >= 4)
            {
                int size = ReadInt32(buffer);
                if (buffer.Length >= 4 + size)
                {
                    byte[] frame = buffer.Slice(4, size).ToArray();
                    _input.AdvanceTo(buffer.GetPosition(4 + size));
                    return frame;
                }
            }

            if (result.IsCompleted)
            {
                _input.AdvanceTo(buffer.End);
                return buffer.IsEmpty ? null : throw new InvalidOperationException($"Stream ended inside a frame ({buffer.Length} bytes).");
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>True when the broker closed its side with no more bytes.</summary>
    public async Task<bool> IsClosedAsync() => await ReadFrameAsync() is null;

    public async ValueTask DisposeAsync()
    {
        await _output.CompleteAsync();
        await Serving.WaitAsync(Timeout);
        await _input.CompleteAsync();
    }

    public static byte[] Frame(IApiMessage request, short version, int correlationId, string? clientId = "test-client")
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteFrame(buffer, request, version, correlationId, clientId);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteFrame(IBufferWriter<byte> output, IApiMessage request, short version, int correlationId, string? clientId)
    {
        var header = new RequestHeader
        {
            RequestApiKey = (short)request.ApiKey,
            RequestApiVersion = version,
            CorrelationId = correlationId,
            ClientId = clientId,
        };
        short headerVersion = ApiMessageTable.RequestHeaderVersion(request.ApiKey, version);
        var writer = new KafkaWriter(output);
        writer.WriteInt32(header.Size(headerVersion) + request.Size(version));
        header.Write(ref writer, headerVersion);
        request.Write(ref writer, version);
        writer.Flush();
    }

    private static int ReadInt32(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> bytes = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(bytes);
        return BinaryPrimitives.ReadInt32BigEndian(bytes);
    }
}
