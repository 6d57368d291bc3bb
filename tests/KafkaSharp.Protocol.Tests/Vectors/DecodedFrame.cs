using System.Buffers;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Protocol.Tests.Vectors;

/// <summary>A frame decoded the way the broker will: header first (its version from the API table), then the body.</summary>
public sealed record DecodedFrame(IKafkaMessage Header, short HeaderVersion, IApiMessage Body, short Version)
{
    /// <summary>
    /// Decodes a request frame. The api key and version are peeked from the header's fixed prefix, which every
    /// request header version shares, exactly as a broker must before it knows the header version.
    /// </summary>
    public static DecodedFrame Request(ReadOnlySequence<byte> frame)
    {
        var peek = new KafkaReader(frame);
        var apiKey = (ApiKey)peek.ReadInt16();
        short version = peek.ReadInt16();
        short headerVersion = ApiMessageTable.RequestHeaderVersion(apiKey, version);

        var reader = new KafkaReader(frame);
        var header = new RequestHeader();
        header.Read(ref reader, headerVersion);
        IApiMessage body = ApiMessageTable.CreateRequest(apiKey);
        body.Read(ref reader, version);
        RequireEnd(reader);
        return new DecodedFrame(header, headerVersion, body, version);
    }

    /// <summary>Decodes a response frame; a response does not name its API, so the caller says which it answers.</summary>
    public static DecodedFrame Response(ReadOnlySequence<byte> frame, ApiKey apiKey, short version)
    {
        short headerVersion = ApiMessageTable.ResponseHeaderVersion(apiKey, version);
        var reader = new KafkaReader(frame);
        var header = new ResponseHeader();
        header.Read(ref reader, headerVersion);
        IApiMessage body = ApiMessageTable.CreateResponse(apiKey);
        body.Read(ref reader, version);
        RequireEnd(reader);
        return new DecodedFrame(header, headerVersion, body, version);
    }

    public static DecodedFrame Of(VectorFile vector, ReadOnlySequence<byte> frame) =>
        vector.IsRequest ? Request(frame) : Response(frame, (ApiKey)vector.ApiKey, vector.Version);

    public static DecodedFrame Of(VectorFile vector) => Of(vector, new ReadOnlySequence<byte>(vector.Data));

    /// <summary>Header and body written again; must be byte-identical to the captured frame.</summary>
    public byte[] Encode()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(output);
        Header.Write(ref writer, HeaderVersion);
        Body.Write(ref writer, Version);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    public int Size => Header.Size(HeaderVersion) + Body.Size(Version);

    public RequestHeader RequestHeader => (RequestHeader)Header;

    public T BodyAs<T>()
        where T : IApiMessage => (T)Body;

    private static void RequireEnd(KafkaReader reader)
    {
        // A frame is exactly one header and one body; bytes left over mean the two were read at the wrong version.
        if (!reader.End)
        {
            throw new KafkaProtocolException($"{reader.Remaining} byte(s) left after the body.");
        }
    }
}
