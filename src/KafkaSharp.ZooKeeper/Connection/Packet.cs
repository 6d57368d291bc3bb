using KafkaSharp.ZooKeeper.Jute;
using KafkaSharp.ZooKeeper.Protocol;

namespace KafkaSharp.ZooKeeper.Connection;

/// <summary>Decodes a reply body.</summary>
internal delegate T BodyDecoder<T>(ref JuteReader reader);

/// <summary>
/// One request on its way: queued by an API call, given its xid by the connection's writer when written, and
/// completed by the reader when the reply with that xid arrives (or failed when the connection dies first).
/// </summary>
internal abstract class Packet(OpCode type, IJuteRequest body, string? path)
{
    public OpCode Type { get; } = type;

    public IJuteRequest Body { get; } = body;

    /// <summary>The path the caller named (relative to the chroot), for error messages.</summary>
    public string? Path { get; } = path;

    /// <summary>Set by the writer just before the packet goes on the wire.</summary>
    public int Xid { get; set; }

    /// <summary>The watch to register when the reply arrives, if the request asked for one.</summary>
    public WatchRegistration? Watch { get; init; }

    /// <summary>Completes from a reply. Throws <see cref="JuteException"/> (after failing the packet) if the body does not decode.</summary>
    public abstract void Complete(in ReplyHeader header, ref JuteReader body);

    public abstract void Fail(Exception exception);
}

/// <summary>A packet whose reply decodes to a <typeparamref name="T"/>.</summary>
internal sealed class Packet<T>(OpCode type, IJuteRequest body, string? path, BodyDecoder<T> decoder) : Packet(type, body, path)
{
    // Continuations run off the connection's reader loop, so a slow caller cannot stall replies.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    /// <summary>For exists: NoNode is an answer (the node is absent), not an error; the result is then default.</summary>
    public bool NoNodeIsAnswer { get; init; }

    public override void Complete(in ReplyHeader header, ref JuteReader body)
    {
        if (header.Err == ZooKeeperErrorCode.Ok)
        {
            T value;
            try
            {
                value = decoder(ref body);
            }
            catch (JuteException e)
            {
                _completion.TrySetException(new ConnectionLossException(Path, "The server's reply did not decode.", e));
                throw;
            }

            _completion.TrySetResult(value);
        }
        else if (header.Err == ZooKeeperErrorCode.NoNode && NoNodeIsAnswer)
        {
            _completion.TrySetResult(default!);
        }
        else
        {
            _completion.TrySetException(ZooKeeperException.Create(header.Err, Path));
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
