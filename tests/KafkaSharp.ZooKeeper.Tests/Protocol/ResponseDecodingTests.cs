using KafkaSharp.ZooKeeper.Jute;
using KafkaSharp.ZooKeeper.Protocol;
using KafkaSharp.ZooKeeper.Protocol.Responses;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Protocol;

/// <summary>Each reply record decoded from bytes worked out by hand from zookeeper.jute.</summary>
public sealed class ResponseDecodingTests
{
    // Stat with czxid=1, mzxid=2, ctime=3, mtime=4, version=5, cversion=6, aversion=7, ephemeralOwner=8,
    // dataLength=9, numChildren=10, pzxid=11: four longs, three ints, a long, two ints, a long = 68 bytes.
    private const string StatHex =
        "0000000000000001 0000000000000002 0000000000000003 0000000000000004 " +
        "00000005 00000006 00000007 0000000000000008 00000009 0000000a 000000000000000b";

    private static readonly ZNodeStat s_stat = new(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

    [Fact]
    public void StatReadsElevenFieldsInJuteOrderWhenGivenSixtyEightBytes()
    {
        byte[] bytes = Bytes.Hex(StatHex);
        var reader = new JuteReader(bytes);

        Assert.Equal(StatCodec.Size, bytes.Length);
        Assert.Equal(s_stat, StatCodec.Read(ref reader));
        Assert.True(reader.End);
    }

    [Fact]
    public void ReplyHeaderReadsXidZxidAndErrorWhenNoNode()
    {
        var reader = new JuteReader(Bytes.Hex("00000005 | 0000000000000100 | ffffff9b"));

        Assert.Equal(new ReplyHeader(5, 0x100, ZooKeeperErrorCode.NoNode), ReplyHeader.Read(ref reader));
    }

    [Fact]
    public void ConnectResponseReadsReadOnlyFlagWhenPresent()
    {
        var reader = new JuteReader(Bytes.Hex("00000000 | 00001388 | 0102030405060708 | 00000002 bbbb | 01"));

        ConnectResponse response = ConnectResponse.Read(ref reader);

        Assert.Equal((0, 5000, 0x0102030405060708L, true, false), (response.ProtocolVersion, response.TimeoutMs, response.SessionId, response.ReadOnly, response.SessionExpired));
        Assert.Equal(new byte[] { 0xbb, 0xbb }, response.Password);
    }

    [Fact]
    public void ConnectResponseReportsExpiredWhenTimeoutIsZeroAndFlagAbsent()
    {
        var reader = new JuteReader(Bytes.Hex("00000000 | 00000000 | 0000000000000000 | 00000010 00000000000000000000000000000000"));

        ConnectResponse response = ConnectResponse.Read(ref reader);

        Assert.True(response.SessionExpired);
        Assert.False(response.ReadOnly);
        Assert.Equal(16, response.Password.Length);
    }

    [Fact]
    public void GetDataReadsDataThenStatWhenNodeHasData()
    {
        var reader = new JuteReader(Bytes.Hex($"00000003 616263 | {StatHex}"));

        ZNodeData data = ResponseCodecs.ReadGetData(ref reader);

        Assert.Equal("abc"u8.ToArray(), data.Data);
        Assert.Equal(s_stat, data.Stat);
    }

    [Fact]
    public void GetDataReturnsEmptyArrayWhenDataIsNullBuffer()
    {
        var reader = new JuteReader(Bytes.Hex($"ffffffff | {StatHex}"));

        Assert.Empty(ResponseCodecs.ReadGetData(ref reader).Data);
    }

    [Fact]
    public void Create2ReadsActualPathThenStat()
    {
        var reader = new JuteReader(Bytes.Hex($"00000004 2f612f62 | {StatHex}"));

        Assert.Equal(("/a/b", s_stat), ResponseCodecs.ReadCreate2(ref reader));
    }

    [Fact]
    public void ChildrenReadsStringVectorWhenNodeHasChildren()
    {
        var reader = new JuteReader(Bytes.Hex("00000002 | 00000001 61 | 00000001 62"));

        Assert.Equal(["a", "b"], ResponseCodecs.ReadChildren(ref reader));
    }

    [Fact]
    public void Children2ReadsChildrenThenParentStat()
    {
        var reader = new JuteReader(Bytes.Hex($"00000001 00000001 61 | {StatHex}"));

        ZNodeChildren children = ResponseCodecs.ReadChildren2(ref reader);

        Assert.Equal(["a"], children.Children);
        Assert.Equal(s_stat, children.Stat);
    }

    [Fact]
    public void WatcherEventReadsTypeStateAndPathWhenDataChanged()
    {
        var reader = new JuteReader(Bytes.Hex("00000003 | 00000003 | 00000002 2f61"));

        Assert.Equal((WatchEventType.NodeDataChanged, 3, "/a"), WatcherEventCodec.Read(ref reader));
    }

    [Fact]
    public void MultiResponseReadsEachResultByTypeWhenAllSucceeded()
    {
        var reader = new JuteReader(Bytes.Hex(
            "00000001 00 00000000 | 00000003 2f6d31 | " +
            $"00000005 00 00000000 | {StatHex} | " +
            "00000002 00 00000000 | " +
            "0000000d 00 00000000 | " +
            "ffffffff 01 ffffffff"));

        List<ZooKeeperOpResult> results = MultiResponseCodec.Read(ref reader);

        Assert.Equal<ZooKeeperOpResult>(
            [new ZooKeeperOpResult.Create("/m1"), new ZooKeeperOpResult.SetData(s_stat), new ZooKeeperOpResult.Delete(), new ZooKeeperOpResult.Check()],
            results);
        Assert.True(reader.End);
    }

    [Fact]
    public void MultiResponseReadsErrorResultsWhenTransactionFailed()
    {
        // As a server answers a failed multi: OK before the failing op, its code, RuntimeInconsistency after.
        var reader = new JuteReader(Bytes.Hex(
            "ffffffff 00 00000000 | 00000000 | " +
            "ffffffff 00 ffffff92 | ffffff92 | " +
            "ffffffff 00 fffffffe | fffffffe | " +
            "ffffffff 01 ffffffff"));

        List<ZooKeeperOpResult> results = MultiResponseCodec.Read(ref reader);

        Assert.Equal<ZooKeeperOpResult>(
            [
                new ZooKeeperOpResult.Error(ZooKeeperErrorCode.Ok),
                new ZooKeeperOpResult.Error(ZooKeeperErrorCode.NodeExists),
                new ZooKeeperOpResult.Error(ZooKeeperErrorCode.RuntimeInconsistency),
            ],
            results);
    }

    [Fact]
    public void MultiResponseThrowsWhenTypeIsUnknown()
    {
        byte[] bytes = Bytes.Hex("00000063 00 00000000 | ffffffff 01 ffffffff");

        Assert.Throws<JuteException>(() =>
        {
            var reader = new JuteReader(bytes);
            MultiResponseCodec.Read(ref reader);
        });
    }
}
