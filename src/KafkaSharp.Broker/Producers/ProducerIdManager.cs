namespace KafkaSharp.Broker.Producers;

/// <summary>
/// Hands out producer ids one at a time from blocks claimed from an <see cref="IProducerIdBlockSource"/>, as Kafka's
/// ZkProducerIdManager does: a new block is claimed (and persisted) only when the current one is used up, so a restart
/// skips the rest of a block but never reuses an id.
/// </summary>
public sealed class ProducerIdManager(int brokerId, IProducerIdBlockSource source) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private ProducerIdBlock? _block;
    private long _next;

    public async Task<long> GenerateAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_block is not { } block || _next > block.LastId)
            {
                block = await source.ClaimNextBlockAsync(brokerId, cancellationToken).ConfigureAwait(false);
                _block = block;
                _next = block.FirstId;
            }

            return _next++;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();
}
