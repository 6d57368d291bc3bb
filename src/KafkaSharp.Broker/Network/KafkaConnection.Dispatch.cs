using System.Buffers;
using System.Buffers.Binary;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Network;

public sealed partial class KafkaConnection
{
    /// <summary>
    /// Parses one frame and starts its handler. False: the connection must close (already logged). Runs
    /// synchronously so the caller may release the pipe's memory as soon as it returns.
    /// </summary>
    private bool Dispatch(in ReadOnlySequence<byte> frame, out PendingResponse pending)
    {
        pending = default;
        if (frame.Length < 2 * sizeof(short))
        {
            CloseForProtocolError($"request of {frame.Length} bytes is too short for a header");
            return false;
        }

        Span<byte> keyAndVersion = stackalloc byte[2 * sizeof(short)];
        frame.Slice(0, keyAndVersion.Length).CopyTo(keyAndVersion);
        var apiKey = (ApiKey)BinaryPrimitives.ReadInt16BigEndian(keyAndVersion);
        short apiVersion = BinaryPrimitives.ReadInt16BigEndian(keyAndVersion[sizeof(short)..]);

        // Kafka closes on a key it does not know, and on one it has not enabled (an API we have no handler for).
        if (!ApiMessageTable.TryGet(apiKey, out ApiMessageInfo? info) || !_handlers.TryGet(apiKey, out IRequestHandler? handler))
        {
            CloseForProtocolError($"unknown or unsupported API key {(short)apiKey}");
            return false;
        }

        bool versionSupported = apiVersion >= info.LowestVersion && apiVersion <= info.HighestVersion;
        if (!versionSupported && apiKey != ApiKey.ApiVersions)
        {
            CloseForProtocolError($"unsupported version {apiVersion} of {info.Name}");
            return false;
        }

        var header = new RequestHeader();
        IApiMessage request;
        PooledFrame? copy = null;
        try
        {
            var reader = new KafkaReader(frame);
            header.Read(ref reader, ApiMessageTable.RequestHeaderVersion(apiKey, apiVersion));
            if (!versionSupported)
            {
                // KIP-511: a client newer than us sends ApiVersions at a version we do not know. The body is not
                // parsed; the answer is a v0 response with UNSUPPORTED_VERSION and our ranges so it can downgrade.
                pending = new PendingResponse(apiKey, 0, header.CorrelationId, new(UnsupportedApiVersionsResponse()), null);
                return true;
            }

            request = ApiMessageTable.CreateRequest(apiKey);
            if (RequestKeepsFrameSlices(apiKey))
            {
                copy = new PooledFrame(reader.UnreadSequence);
                var bodyReader = new KafkaReader(copy.Memory);
                request.Read(ref bodyReader, apiVersion);
            }
            else
            {
                request.Read(ref reader, apiVersion);
            }
        }
        catch (Exception e) when (e is KafkaProtocolException or ArgumentException or InvalidOperationException or OverflowException or FormatException)
        {
            copy?.Dispose();
            CloseForProtocolError($"malformed {info.Name} v{apiVersion} request: {e.Message}");
            return false;
        }

        var context = new RequestContext(header, _session);
        pending = new PendingResponse(apiKey, apiVersion, header.CorrelationId, Invoke(handler, context, request), copy);
        return true;
    }

    /// <summary>
    /// Requests whose parsed form holds <c>records</c> slices of the frame: Produce only. Those frames are copied
    /// (one memcpy of the batch) so the pipe can move on while the handler awaits replication or a flush; every
    /// other request is parsed straight from the pipe because its parsed form owns all its data.
    /// </summary>
    private static bool RequestKeepsFrameSlices(ApiKey apiKey) => apiKey == ApiKey.Produce;

    private ValueTask<IApiMessage?> Invoke(IRequestHandler handler, RequestContext context, IApiMessage request)
    {
        try
        {
            return handler.HandleAsync(context, request, _aborted.Token);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<IApiMessage?>(e);
        }
    }

    private ApiVersionsResponse UnsupportedApiVersionsResponse() => new()
    {
        ErrorCode = (short)ErrorCode.UnsupportedVersion,
        ApiKeys = Handlers.ApiVersionsHandler.DescribeApis(_handlers),
    };
}
