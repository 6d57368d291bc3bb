using System.Buffers;
using KafkaSharp.ZooKeeper.Jute;
using KafkaSharp.ZooKeeper.Protocol;
using KafkaSharp.ZooKeeper.Protocol.Requests;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Protocol;

/// <summary>Each request record against bytes worked out by hand from zookeeper.jute (big-endian, length-prefixed).</summary>
public sealed class RequestEncodingTests
{
    private const string World = "00000005 776f726c64";   // ustring "world"
    private const string Anyone = "00000006 616e796f6e65"; // ustring "anyone"

    [Fact]
    public void ConnectRequestWritesAllFieldsThenReadOnlyFlagWhenResumingSession()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new ConnectRequest(LastZxidSeen: 0x10, TimeoutMs: 10_000, SessionId: 0x0102030405060708, Password: new byte[] { 0xAA, 0xBB })
            .Write(new JuteWriter(buffer));

        Assert.Equal(
            Bytes.Hex("00000000 | 0000000000000010 | 00002710 | 0102030405060708 | 00000002 AABB | 00"),
            buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void RequestHeaderWritesXidThenOpCodeWhenGetData()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new RequestHeader(7, OpCode.GetData).Write(new JuteWriter(buffer));

        Assert.Equal(Bytes.Hex("00000007 | 00000004"), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void PathWatchRequestWritesPathAndWatchFlagWhenWatching()
    {
        Assert.Equal(Bytes.Hex("00000002 2f61 | 01"), Bytes.Encode(new PathWatchRequest("/a", Watch: true)));
        Assert.Equal(Bytes.Hex("00000002 2f61 | 00"), Bytes.Encode(new PathWatchRequest("/a", Watch: false)));
    }

    [Fact]
    public void CreateRequestWritesDataAclVectorAndFlagsWhenEphemeralSequential()
    {
        byte[] encoded = Bytes.Encode(new CreateRequest("/n", new byte[] { 1, 2 }, ZooKeeperAcl.OpenUnsafe, CreateMode.EphemeralSequential));

        Assert.Equal(
            Bytes.Hex($"00000002 2f6e | 00000002 0102 | 00000001 0000001f {World} {Anyone} | 00000003"),
            encoded);
    }

    [Fact]
    public void CreateRequestWritesEmptyBufferWhenDataIsEmpty()
    {
        byte[] encoded = Bytes.Encode(new CreateRequest("/n", ReadOnlyMemory<byte>.Empty, ZooKeeperAcl.ReadUnsafe, CreateMode.Persistent));

        Assert.Equal(Bytes.Hex($"00000002 2f6e | 00000000 | 00000001 00000001 {World} {Anyone} | 00000000"), encoded);
    }

    [Fact]
    public void SetDataRequestWritesPathDataAndVersionWhenVersionIsExpected()
    {
        Assert.Equal(Bytes.Hex("00000002 2f6e | 00000001 09 | 00000005"), Bytes.Encode(new SetDataRequest("/n", new byte[] { 9 }, 5)));
    }

    [Fact]
    public void PathVersionRequestWritesMinusOneWhenAnyVersion()
    {
        Assert.Equal(Bytes.Hex("00000002 2f6e | ffffffff"), Bytes.Encode(new PathVersionRequest("/n", -1)));
    }

    [Fact]
    public void PathRequestWritesOnlyThePathWhenSync()
    {
        Assert.Equal(Bytes.Hex("00000002 2f73"), Bytes.Encode(new PathRequest("/s")));
    }

    [Fact]
    public void EmptyRequestWritesNothingWhenPingOrCloseSession()
    {
        Assert.Empty(Bytes.Encode(EmptyRequest.Instance));
    }

    [Fact]
    public void SetWatchesRequestWritesZxidAndThreeVectorsWhenSomeAreEmpty()
    {
        byte[] encoded = Bytes.Encode(new SetWatchesRequest(0x20, ["/d"], [], ["/c"]));

        Assert.Equal(
            Bytes.Hex("0000000000000020 | 00000001 00000002 2f64 | 00000000 | 00000001 00000002 2f63"),
            encoded);
    }

    [Fact]
    public void MultiRequestWritesHeaderBeforeEachOpAndClosingHeaderWhenCreateThenCheck()
    {
        var multi = new MultiRequest(
        [
            (OpCode.Create, new CreateRequest("/m", ReadOnlyMemory<byte>.Empty, ZooKeeperAcl.OpenUnsafe, CreateMode.Persistent)),
            (OpCode.Check, new PathVersionRequest("/m", 0)),
        ]);

        Assert.Equal(
            Bytes.Hex(
                $"00000001 00 ffffffff | 00000002 2f6d 00000000 00000001 0000001f {World} {Anyone} 00000000 | " +
                "0000000d 00 ffffffff | 00000002 2f6d 00000000 | " +
                "ffffffff 01 ffffffff"),
            Bytes.Encode(multi));
    }

    [Fact]
    public void MultiRequestWritesOnlyClosingHeaderWhenNoOperations()
    {
        Assert.Equal(Bytes.Hex("ffffffff 01 ffffffff"), Bytes.Encode(new MultiRequest([])));
    }

    [Fact]
    public void WriteStringUsesUtf8ByteCountWhenPathHasNonAscii()
    {
        // "é" is two bytes in UTF-8: the length prefix counts bytes, not chars.
        Assert.Equal(Bytes.Hex("00000003 2f c3a9"), Bytes.Encode(new PathRequest("/é")));
    }
}
