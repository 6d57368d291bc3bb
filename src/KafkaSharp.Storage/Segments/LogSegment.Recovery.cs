using System.Buffers;
using KafkaSharp.Protocol.Records;

namespace KafkaSharp.Storage.Segments;

internal sealed partial class LogSegment
{
    /// <summary>
    /// Re-validates every batch (structure, offsets increasing, CRC), rebuilds both indexes, and cuts the file at
    /// the first byte that is not part of a valid batch: a torn tail is cut, never served. Returns bytes cut.
    /// <paramref name="onBatch"/> sees each valid batch's leader epoch and base offset (to rebuild the epoch cache).
    /// </summary>
    public long Recover(Action<int, long>? onBatch = null)
    {
        OffsetIndex.Reset();
        TimeIndex.Reset();
        _maxTimestampSoFar = -1;
        _offsetOfMaxTimestampSoFar = BaseOffset;
        _rollingBasedTimestamp = -1;
        _bytesSinceLastIndexEntry = 0;

        long fileLength = RandomAccess.GetLength(_log);
        long position = 0;
        long minimumNextOffset = BaseOffset;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (TryReadBatchAt(position, fileLength, out BatchInfo batch))
            {
                if (batch.Magic != RecordBatchHeader.CurrentMagic || batch.LastOffsetDelta < 0
                    || batch.BaseOffset < minimumNextOffset || batch.LastOffset - BaseOffset > int.MaxValue)
                {
                    break;
                }

                if (buffer.Length < batch.TotalSize)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(batch.TotalSize);
                }

                Span<byte> bytes = buffer.AsSpan(0, batch.TotalSize);
                new FileSlice(_log, position, batch.TotalSize).CopyTo(bytes);
                if (!RecordBatchHeader.IsCrcValid(bytes))
                {
                    break;
                }

                IndexBatch(batch, position);
                onBatch?.Invoke(batch.PartitionLeaderEpoch, batch.BaseOffset);
                minimumNextOffset = batch.NextOffset;
                position += batch.TotalSize;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (position < fileLength)
        {
            RandomAccess.SetLength(_log, position);
        }

        Volatile.Write(ref _size, position);
        return fileLength - position;
    }
}
