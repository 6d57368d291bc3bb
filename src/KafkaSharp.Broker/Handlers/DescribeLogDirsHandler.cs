using KafkaSharp.Broker.Admin;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using KafkaSharp.Storage;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// DescribeLogDirs (v0–4): every log dir of this broker with its error (KAFKA_STORAGE_ERROR when offline) and the
/// size of each partition in it; a null topic list means all partitions. v3 adds the top-level error code, v4 the
/// file system's total and usable bytes (KIP-827).
/// </summary>
public sealed class DescribeLogDirsHandler : RequestHandler<DescribeLogDirsRequest>
{
    private readonly LogDirDescriber _describer;

    public DescribeLogDirsHandler(LogDirDescriber describer) => _describer = describer;

    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, DescribeLogDirsRequest request, CancellationToken cancellationToken)
    {
        HashSet<TopicPartition>? wanted = request.Topics is null
            ? null
            : [.. request.Topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p)))];
        var response = new DescribeLogDirsResponse();
        foreach (LogDirDescription dir in _describer.Describe(wanted))
        {
            response.Results.Add(new DescribeLogDirsResponse.DescribeLogDirsResult
            {
                ErrorCode = (short)dir.Error,
                LogDir = dir.Path,
                TotalBytes = dir.TotalBytes,
                UsableBytes = dir.UsableBytes,
                Topics =
                [
                    .. dir.Partitions.GroupBy(p => p.Partition.Topic, StringComparer.Ordinal).Select(topic => new DescribeLogDirsResponse.DescribeLogDirsTopic
                    {
                        Name = topic.Key,
                        Partitions =
                        [
                            .. topic.Select(p => new DescribeLogDirsResponse.DescribeLogDirsPartition
                            {
                                PartitionIndex = p.Partition.Partition,
                                PartitionSize = p.Size,
                                OffsetLag = p.OffsetLag,
                                IsFutureKey = false,
                            }),
                        ],
                    }),
                ],
            });
        }

        return ValueTask.FromResult<IApiMessage?>(response);
    }
}
