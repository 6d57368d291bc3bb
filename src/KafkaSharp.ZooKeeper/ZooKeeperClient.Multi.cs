using KafkaSharp.ZooKeeper.Connection;
using KafkaSharp.ZooKeeper.Protocol;
using KafkaSharp.ZooKeeper.Protocol.Requests;
using KafkaSharp.ZooKeeper.Protocol.Responses;

namespace KafkaSharp.ZooKeeper;

public sealed partial class ZooKeeperClient
{
    /// <summary>
    /// Applies the operations as one atomic transaction and returns one result per operation. If any operation
    /// fails, none is applied and the exception for the first failing one is thrown (e.g.
    /// <see cref="NodeExistsException"/>), with <see cref="ZooKeeperException.FailedOperationIndex"/> and every
    /// operation's result in <see cref="ZooKeeperException.MultiResults"/>.
    /// </summary>
    public async Task<IReadOnlyList<ZooKeeperOpResult>> MultiAsync(IEnumerable<ZooKeeperOp> operations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        List<ZooKeeperOp> ops = [.. operations];
        var encoded = new List<(OpCode, IJuteRequest)>(ops.Count);
        foreach (ZooKeeperOp op in ops)
        {
            encoded.Add(Encode(op));
        }

        List<ZooKeeperOpResult> results = await SendAsync(
            new Packet<List<ZooKeeperOpResult>>(OpCode.Multi, new MultiRequest(encoded), null, MultiResponseCodec.Read), cancellationToken).ConfigureAwait(false);

        for (int i = 0; i < results.Count; i++)
        {
            if (results[i] is ZooKeeperOpResult.Create created)
            {
                results[i] = created with { Path = ClientPath(created.Path) };
            }
        }

        int failed = results.FindIndex(r => r is ZooKeeperOpResult.Error { Code: not ZooKeeperErrorCode.Ok and not ZooKeeperErrorCode.RuntimeInconsistency });
        if (failed < 0)
        {
            failed = results.FindIndex(r => r is ZooKeeperOpResult.Error { Code: not ZooKeeperErrorCode.Ok });
        }

        if (failed >= 0)
        {
            var error = (ZooKeeperOpResult.Error)results[failed];
            throw ZooKeeperException.ForMulti(error.Code, failed < ops.Count ? ops[failed].Path : null, results, failed);
        }

        return results;
    }

    private (OpCode, IJuteRequest) Encode(ZooKeeperOp op)
    {
        switch (op)
        {
            case ZooKeeperOp.CreateOp create:
                ZNodePath.Validate(create.Path, create.Mode.IsSequential());
                return (OpCode.Create, new CreateRequest(ServerPath(create.Path), create.Data, create.Acl, create.Mode));
            case ZooKeeperOp.DeleteOp delete:
                ZNodePath.Validate(delete.Path);
                return (OpCode.Delete, new PathVersionRequest(ServerPath(delete.Path), delete.ExpectedVersion));
            case ZooKeeperOp.SetDataOp setData:
                ZNodePath.Validate(setData.Path);
                return (OpCode.SetData, new SetDataRequest(ServerPath(setData.Path), setData.Data, setData.ExpectedVersion));
            case ZooKeeperOp.CheckOp check:
                ZNodePath.Validate(check.Path);
                return (OpCode.Check, new PathVersionRequest(ServerPath(check.Path), check.ExpectedVersion));
            default:
                throw new ArgumentException($"Unknown operation {op.GetType().Name}.", nameof(op));
        }
    }
}
