using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Producers;
using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Log;

/// <summary>A producer as DescribeProducers shows it.</summary>
public readonly record struct ActiveProducer(long ProducerId, short Epoch, int LastSequence, long LastTimestamp, int CoordinatorEpoch, long CurrentTxnStartOffset);

public sealed partial class PartitionLog
{
    private readonly ProducerStateManager _producerState = new();
    private ProducerStateOptions _producerOptions = new();

    /// <summary>The producers this partition knows, copied under the write lock.</summary>
    public List<ActiveProducer> ActiveProducers()
    {
        lock (_writeLock)
        {
            var result = new List<ActiveProducer>(_producerState.ProducerCount);
            foreach (ProducerStateEntry entry in _producerState.Producers)
            {
                result.Add(new ActiveProducer(entry.ProducerId, entry.Epoch, entry.LastSequence, entry.LastTimestamp, entry.CoordinatorEpoch, entry.CurrentTxnFirstOffset));
            }

            return result;
        }
    }

    internal ProducerStateManager ProducerState => _producerState;

    /// <summary>Each known producer's last offset, copied under the write lock (the cleaner keeps those batches).</summary>
    internal Dictionary<long, long> ProducerLastOffsets()
    {
        lock (_writeLock)
        {
            var result = new Dictionary<long, long>(_producerState.ProducerCount);
            foreach (ProducerStateEntry entry in _producerState.Producers)
            {
                result[entry.ProducerId] = entry.LastOffset;
            }

            return result;
        }
    }

    /// <summary>Forgets producers idle for producer.id.expiration.ms; called periodically by the log manager.</summary>
    public int RemoveExpiredProducers()
    {
        if (_offline)
        {
            return 0;
        }

        lock (_writeLock)
        {
            return _producerState.RemoveExpired(NowMs, _producerOptions.ProducerIdExpirationMs);
        }
    }

    /// <summary>Validates the one producer batch of a client append; true when it repeats a cached batch.</summary>
    private bool CheckProducerBatch(ReadOnlySpan<byte> records, out ProducerBatchMetadata duplicate)
    {
        long producerId = BinaryPrimitives.ReadInt64BigEndian(records[RecordBatchHeader.ProducerIdOffset..]);
        short epoch = BinaryPrimitives.ReadInt16BigEndian(records[RecordBatchHeader.ProducerEpochOffset..]);
        int firstSequence = BinaryPrimitives.ReadInt32BigEndian(records[RecordBatchHeader.BaseSequenceOffset..]);
        int lastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(records[RecordBatchHeader.LastOffsetDeltaOffset..]);
        return _producerState.CheckClientBatch(producerId, epoch, firstSequence, Sequences.Increment(firstSequence, lastOffsetDelta), out duplicate);
    }

    /// <summary>Records the producer batches of an append whose offsets are assigned and bytes written.</summary>
    private void TrackProducerBatches(ReadOnlySpan<byte> records)
    {
        for (int position = 0; position < records.Length;)
        {
            BatchInfo.TryRead(records[position..], out BatchInfo batch);
            TrackProducerBatch(batch);
            position += batch.TotalSize;
        }
    }

    private void TrackProducerBatch(in BatchInfo batch)
    {
        if (batch.ProducerId >= 0 && !batch.IsControl)
        {
            _producerState.Update(batch.ProducerId, batch.ProducerEpoch, Sequences.Increment(batch.BaseSequence, batch.LastOffsetDelta),
                batch.BaseOffset, batch.LastOffset, batch.MaxTimestamp);
        }
    }

    /// <summary>
    /// Rebuilds producer state for a log spanning [logStart, logEnd): snapshots past the end (data they describe is
    /// gone) are deleted, the newest readable one is loaded (a corrupt one is deleted and the next older tried), and
    /// the batches after it are replayed from the segments. Without a snapshot everything is replayed, which is how an
    /// unclean shutdown that lost the last snapshot still finds every acknowledged batch.
    /// </summary>
    private void RebuildProducerState(LogSegment[] segments, long logStart, long logEnd)
    {
        long now = NowMs;
        long expiration = _producerOptions.ProducerIdExpirationMs;
        _producerState.Clear(logStart);
        _producerState.LastSnapshotOffset = -1;
        long replayFrom = segments.Length > 0 ? segments[0].BaseOffset : logStart;
        List<long> snapshots = ProducerSnapshotFile.List(Directory);
        for (int i = snapshots.Count - 1; i >= 0; i--)
        {
            long offset = snapshots[i];
            string path = ProducerSnapshotFile.PathFor(Directory, offset);
            if (offset > logEnd)
            {
                File.Delete(path);
                continue;
            }

            try
            {
                _producerState.LoadSnapshot(ProducerSnapshotFile.Read(path), offset, now, expiration);
                replayFrom = offset;
                break;
            }
            catch (InvalidDataException)
            {
                File.Delete(path);
            }
        }

        ReplayProducerBatches(segments, replayFrom, logEnd);
        _producerState.UpdateMapEndOffset(logEnd);
        _producerState.RemoveExpired(now, expiration);
    }

    /// <summary>Reads batch headers from <paramref name="from"/> to the end; no record is decoded.</summary>
    private void ReplayProducerBatches(LogSegment[] segments, long from, long logEnd)
    {
        int first = Math.Max(0, FloorSegmentIndex(segments, from));
        for (int i = first; i < segments.Length && from < logEnd; i++)
        {
            LogSegment segment = segments[i];
            long limit = segment.Size;
            if (!segment.TryFindBatch(from, limit, out long position, out BatchInfo batch))
            {
                continue;
            }

            do
            {
                TrackProducerBatch(batch);
                position += batch.TotalSize;
            }
            while (segment.TryReadBatchAt(position, limit, out batch));
        }
    }

    /// <summary>
    /// Writes a snapshot of the current state at the state's end offset unless one exists there (Kafka's
    /// takeSnapshot). Returns its path, or null when none was needed.
    /// </summary>
    private string? TakeProducerSnapshot(bool sync)
    {
        long offset = _producerState.MapEndOffset;
        if (offset <= _producerState.LastSnapshotOffset)
        {
            return null;
        }

        string path = ProducerSnapshotFile.PathFor(Directory, offset);
        ProducerSnapshotFile.Write(path, ProducerSnapshotFile.Serialize(_producerState.Producers), sync);
        _producerState.LastSnapshotOffset = offset;
        return path;
    }

    private static void FsyncIfExists(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Deleted by retention or truncation (or the log deleted) before the flush ran.
        }
    }

    /// <summary>Snapshots go with the segments whose base offset names them (retention, DeleteRecords), as in Kafka.</summary>
    private void DeleteProducerSnapshotsOf(IEnumerable<LogSegment> removed)
    {
        foreach (LogSegment segment in removed)
        {
            File.Delete(ProducerSnapshotFile.PathFor(Directory, segment.BaseOffset));
        }
    }

    /// <summary>Deletes every snapshot named after an offset above <paramref name="offset"/> (truncation).</summary>
    private void DeleteProducerSnapshotsAfter(long offset)
    {
        foreach (long snapshot in ProducerSnapshotFile.List(Directory))
        {
            if (snapshot > offset)
            {
                File.Delete(ProducerSnapshotFile.PathFor(Directory, snapshot));
            }
        }
    }
}
