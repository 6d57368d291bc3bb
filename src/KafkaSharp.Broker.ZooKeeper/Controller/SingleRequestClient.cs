using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.ZooKeeper.Controller;

/// <summary>
/// Sends one request to another broker over a fresh connection and reads its response — enough for the rare
/// ControlledShutdown a stopping broker sends its controller. (Controller-to-broker traffic would use a pooled
/// channel with reconnects; this is not that.)
/// </summary>
internal static class SingleRequestClient
{
    public static async Task<TResponse> SendAsync<TResponse>(string host, int port, IApiMessage request, short version, string clientId, TimeSpan timeout, CancellationToken cancellationToken)
        where TResponse : IApiMessage
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
        NetworkStream stream = tcp.GetStream();

        var frame = new ArrayBufferWriter<byte>();
        var header = new RequestHeader { RequestApiKey = (short)request.ApiKey, RequestApiVersion = version, CorrelationId = 1, ClientId = clientId };
        short headerVersion = ApiMessageTable.RequestHeaderVersion(request.ApiKey, version);
        var writer = new KafkaWriter(frame);
        writer.WriteInt32(header.Size(headerVersion) + request.Size(version));
        header.Write(ref writer, headerVersion);
        request.Write(ref writer, version);
        writer.Flush();
        await stream.WriteAsync(frame.WrittenMemory, deadline.Token).ConfigureAwait(false);

        byte[] size = new byte[4];
        await stream.ReadExactlyAsync(size, deadline.Token).ConfigureAwait(false);
        byte[] body = new byte[BinaryPrimitives.ReadInt32BigEndian(size)];
        await stream.ReadExactlyAsync(body, deadline.Token).ConfigureAwait(false);
        var reader = new KafkaReader(new ReadOnlyMemory<byte>(body));
        new ResponseHeader().Read(ref reader, ApiMessageTable.ResponseHeaderVersion(request.ApiKey, version));
        IApiMessage response = ApiMessageTable.CreateResponse(request.ApiKey);
        response.Read(ref reader, version);
        return (TResponse)response;
    }
}
