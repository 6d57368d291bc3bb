using System.Buffers;
using System.Net.Sockets;
using KafkaSharp.Broker.Tests.Support;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Tests.InterBroker;

/// <summary>Pieces of a fake peer broker: read a request's header, answer ApiVersions, write any response frame.</summary>
internal static class PeerScripts
{
    /// <summary>Reads the next request and returns its header (null at end of stream).</summary>
    public static async Task<RequestHeader?> ReadRequestAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[]? frame = await MisbehavingServer.ReadFrameAsync(socket, cancellationToken);
        if (frame is null)
        {
            return null;
        }

        var reader = new KafkaReader(new ReadOnlyMemory<byte>(frame));
        var apiKey = (ApiKey)reader.ReadInt16();
        short version = reader.ReadInt16();
        reader = new KafkaReader(new ReadOnlyMemory<byte>(frame));
        var header = new RequestHeader();
        header.Read(ref reader, ApiMessageTable.RequestHeaderVersion(apiKey, version));
        return header;
    }

    /// <summary>Answers the handshake with every API this build knows, or only <paramref name="only"/>.</summary>
    public static async Task AnswerApiVersionsAsync(Socket socket, CancellationToken cancellationToken, params ApiKey[] only)
    {
        RequestHeader header = await ReadRequestAsync(socket, cancellationToken) ?? throw new IOException("no handshake");
        Assert.Equal((short)ApiKey.ApiVersions, header.RequestApiKey);
        var response = new ApiVersionsResponse
        {
            ApiKeys = [.. ApiMessageTable.All
                .Where(i => only.Length == 0 || only.Contains(i.ApiKey) || i.ApiKey == ApiKey.ApiVersions)
                .Select(i => new ApiVersionsResponse.ApiVersion { ApiKey = (short)i.ApiKey, MinVersion = i.LowestVersion, MaxVersion = i.HighestVersion })],
        };
        await WriteResponseAsync(socket, header.CorrelationId, ApiKey.ApiVersions, header.RequestApiVersion, response, cancellationToken);
    }

    public static async Task WriteResponseAsync(Socket socket, int correlationId, ApiKey apiKey, short version, IApiMessage response, CancellationToken cancellationToken)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(output);
        var header = new ResponseHeader { CorrelationId = correlationId };
        short headerVersion = ApiMessageTable.ResponseHeaderVersion(apiKey, version);
        writer.WriteInt32(header.Size(headerVersion) + response.Size(version));
        header.Write(ref writer, headerVersion);
        response.Write(ref writer, version);
        writer.Flush();
        await socket.SendAsync(output.WrittenMemory, SocketFlags.None, cancellationToken);
    }

    public static async Task SendRawAsync(Socket socket, byte[] bytes, CancellationToken cancellationToken) =>
        await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);

    /// <summary>Keeps the connection open, reading and ignoring whatever comes, until the client or server closes it.</summary>
    public static async Task DrainAsync(Socket socket, CancellationToken cancellationToken)
    {
        while (await MisbehavingServer.ReadFrameAsync(socket, cancellationToken) is not null)
        {
        }
    }
}
