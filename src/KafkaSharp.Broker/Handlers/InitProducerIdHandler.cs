using KafkaSharp.Broker.Producers;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// InitProducerId (v0–5), as Kafka's KafkaApis.handleInitProducerIdRequest and TransactionCoordinator.handleInitProducerId
/// for idempotent producers: a producer id and epoch given without the other is INVALID_REQUEST; with no transactional
/// id every request gets a fresh producer id with epoch 0 — also one that names its current id and epoch (KIP-360: an
/// idempotent producer that cannot continue its sequences asks again and gets a new id; Kafka does not bump the epoch
/// of a non-transactional producer id). Ids come from blocks claimed durably, so none is reused across restarts.
/// A transactional id needs a transaction coordinator, which this broker does not have yet: an empty one is
/// INVALID_REQUEST and a timeout over transaction.max.timeout.ms INVALID_TRANSACTION_TIMEOUT as in Kafka, and any
/// other is COORDINATOR_NOT_AVAILABLE, the answer FindCoordinator also gives for transactional ids.
/// </summary>
public sealed partial class InitProducerIdHandler(ProducerIdManager producerIds, Func<int> transactionMaxTimeoutMs, ILogger<InitProducerIdHandler> logger)
    : RequestHandler<InitProducerIdRequest>
{
    private const long NoProducerId = -1;
    private const short NoProducerEpoch = -1;

    protected override async ValueTask<IApiMessage?> HandleAsync(RequestContext context, InitProducerIdRequest request, CancellationToken cancellationToken)
    {
        if ((request.ProducerId == NoProducerId) != (request.ProducerEpoch == NoProducerEpoch))
        {
            return Error(ErrorCode.InvalidRequest);
        }

        if (request.TransactionalId is { } transactionalId)
        {
            if (transactionalId.Length == 0)
            {
                return Error(ErrorCode.InvalidRequest);
            }

            return Error(request.TransactionTimeoutMs <= 0 || request.TransactionTimeoutMs > transactionMaxTimeoutMs()
                ? ErrorCode.InvalidTransactionTimeout
                : ErrorCode.CoordinatorNotAvailable);
        }

        long producerId;
        try
        {
            producerId = await producerIds.GenerateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The block could not be claimed (ZooKeeper unreachable, metadata file not writable): retriable, as
            // Kafka answers while it waits for a new block.
            BlockClaimFailed(logger, e);
            return Error(ErrorCode.CoordinatorLoadInProgress);
        }

        return new InitProducerIdResponse { ProducerId = producerId, ProducerEpoch = 0 };
    }

    private static InitProducerIdResponse Error(ErrorCode error) =>
        new() { ErrorCode = (short)error, ProducerId = NoProducerId, ProducerEpoch = NoProducerEpoch };

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Could not claim a block of producer ids")]
    private static partial void BlockClaimFailed(ILogger logger, Exception exception);
}
