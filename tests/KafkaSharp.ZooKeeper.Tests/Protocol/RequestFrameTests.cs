using System.Buffers;
using KafkaSharp.ZooKeeper.Protocol;
using KafkaSharp.ZooKeeper.Protocol.Requests;
using KafkaSharp.ZooKeeper.Tests.Support;

namespace KafkaSharp.ZooKeeper.Tests.Protocol;

/// <summary>Whole frames as they go on the wire: length prefix, request header, body.</summary>
public sealed class RequestFrameTests
{
    private readonly ArrayBufferWriter<byte> _scratch = new();
    private readonly ArrayBufferWriter<byte> _output = new();

    [Fact]
    public void WriteFramesReservedXidAndNoBodyWhenPing()
    {
        RequestFrame.Write(_scratch, _output, Xid.Ping, OpCode.Ping, EmptyRequest.Instance);

        Assert.Equal(Bytes.Hex("00000008 | fffffffe | 0000000b"), _output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteFramesNegativeOpCodeWhenCloseSession()
    {
        RequestFrame.Write(_scratch, _output, 42, OpCode.CloseSession, EmptyRequest.Instance);

        Assert.Equal(Bytes.Hex("00000008 | 0000002a | fffffff5"), _output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteFramesLengthCoveringHeaderAndBodyWhenGetData()
    {
        RequestFrame.Write(_scratch, _output, 1, OpCode.GetData, new PathWatchRequest("/a", Watch: true));

        Assert.Equal(Bytes.Hex("0000000f | 00000001 | 00000004 | 00000002 2f61 01"), _output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteFramesReservedXidWhenSetWatches()
    {
        RequestFrame.Write(_scratch, _output, Xid.SetWatches, OpCode.SetWatches, new SetWatchesRequest(5, [], ["/e"], []));

        Assert.Equal(
            Bytes.Hex("00000022 | fffffff8 | 00000065 | 0000000000000005 00000000 00000001 00000002 2f65 00000000"),
            _output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteConnectFramesNoRequestHeaderWhenHandshaking()
    {
        RequestFrame.WriteConnect(_scratch, _output, new ConnectRequest(0, 30_000, 0, new byte[16]));

        Assert.Equal(
            Bytes.Hex("0000002d | 00000000 | 0000000000000000 | 00007530 | 0000000000000000 | 00000010 00000000000000000000000000000000 | 00"),
            _output.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteReusesScratchWhenFramingSeveralRequests()
    {
        RequestFrame.Write(_scratch, _output, 1, OpCode.Sync, new PathRequest("/long/path"));
        RequestFrame.Write(_scratch, _output, 2, OpCode.Sync, new PathRequest("/s"));

        Assert.Equal(
            Bytes.Hex("00000016 00000001 00000009 0000000a 2f6c6f6e672f70617468 | 0000000e 00000002 00000009 00000002 2f73"),
            _output.WrittenSpan.ToArray());
    }
}
