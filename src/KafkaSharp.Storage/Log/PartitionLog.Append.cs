using KafkaSharp.Protocol;
using System.Buffers.Binary;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Errors;
using KafkaSharp.Storage.Producers;
using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Log;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Appends produced batches as the leader. The bytes are validated, then rewritten in place only where Kafka
    /// rewrites them: base offset and partition leader epoch (both outside the CRC), and for LogAppendTime topics the
    /// timestamp type and max timestamp (CRC recomputed). They are then written as they are, in one write.
    /// </summary>
    public AppendResult Append(Span<byte> records, int leaderEpoch)
    {
        ThrowIfOffline();
        LogConfig config = Config;
        long now = NowMs;
        AppendSummary summary = BatchValidator.Validate(records, config, now);
        if (summary.BatchCount == 0)
        {
            return new AppendResult(-1, -1, -1, -1, LogStartOffset, 0);
        }

        bool logAppendTime = config.MessageTimestampType == TimestampType.LogAppendTime;
        lock (_writeLock)
        {
            ThrowIfOffline();
            if (summary.ProducerBatchCount > 0 && CheckProducerBatch(records, out ProducerBatchMetadata duplicate))
            {
                // A retry of a batch already in the log: answered with its first offsets, nothing appended (Kafka).
                return new AppendResult(duplicate.FirstOffset, duplicate.LastOffset, logAppendTime ? duplicate.Timestamp : -1,
                    duplicate.Timestamp, LogStartOffset, 0);
            }

            long firstOffset = _logEndOffset;
            long next = firstOffset;
            long maxTimestamp = -1;
            for (int position = 0; position < records.Length;)
            {
                Span<byte> batch = records[position..];
                int size = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.LengthOffset..]) + RecordBatchHeader.LogOverhead;
                batch = batch[..size];
                RecordBatchHeader.SetBaseOffset(batch, next);
                RecordBatchHeader.SetPartitionLeaderEpoch(batch, leaderEpoch);
                if (logAppendTime)
                {
                    RecordBatchHeader.SetLogAppendTime(batch, now);
                }

                next += BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaOffset..]) + 1;
                maxTimestamp = Math.Max(maxTimestamp, BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchHeader.MaxTimestampOffset..]));
                position += size;
            }

            WriteLocked(records, next, maxTimestamp, summary.BatchCount, config, now);
            if (summary.ProducerBatchCount > 0)
            {
                TrackProducerBatches(records);
            }

            _producerState.UpdateMapEndOffset(next);
            LeaderEpochs.Assign(leaderEpoch, firstOffset);
            return new AppendResult(firstOffset, next - 1, logAppendTime ? now : -1, maxTimestamp, LogStartOffset, summary.RecordCount);
        }
    }

    /// <summary>
    /// Appends batches replicated from the leader: offsets and epochs are kept, so they must start at the log end
    /// offset and increase; only structure and CRC are checked.
    /// </summary>
    public AppendResult AppendAsFollower(ReadOnlySpan<byte> records)
    {
        ThrowIfOffline();
        LogConfig config = Config;
        long now = NowMs;
        lock (_writeLock)
        {
            ThrowIfOffline();
            long expected = _logEndOffset;
            long first = -1;
            long maxTimestamp = -1;
            int batches = 0;
            for (int position = 0; position < records.Length;)
            {
                ReadOnlySpan<byte> rest = records[position..];
                if (!BatchInfo.TryRead(rest, out BatchInfo batch) || batch.Magic != RecordBatchHeader.CurrentMagic
                    || batch.TotalSize < RecordBatchHeader.Size || batch.TotalSize > rest.Length
                    || !RecordBatchHeader.IsCrcValid(rest[..batch.TotalSize]))
                {
                    StorageThrow.Throw(ErrorCode.CorruptMessage, "Replicated record batch is malformed or fails its CRC.");
                }

                if (batch.BaseOffset < expected || batch.LastOffsetDelta < 0)
                {
                    StorageThrow.Throw(ErrorCode.InvalidRecord, $"Replicated batch base offset {batch.BaseOffset} is below the log end offset {expected}.");
                }

                first = first < 0 ? batch.BaseOffset : first;
                LeaderEpochs.Assign(batch.PartitionLeaderEpoch, batch.BaseOffset);
                expected = batch.NextOffset;
                maxTimestamp = Math.Max(maxTimestamp, batch.MaxTimestamp);
                batches++;
                position += batch.TotalSize;
            }

            if (batches == 0)
            {
                return new AppendResult(-1, -1, -1, -1, LogStartOffset, 0);
            }

            WriteLocked(records, expected, maxTimestamp, batches, config, now);
            TrackProducerBatches(records);
            _producerState.UpdateMapEndOffset(expected);
            return new AppendResult(first, expected - 1, -1, maxTimestamp, LogStartOffset, expected - first);
        }
    }

    /// <summary>Rolls if needed, writes, publishes the new end offset and applies flush.messages / flush.ms.</summary>
    private void WriteLocked(ReadOnlySpan<byte> records, long nextOffset, long maxTimestamp, int batches, LogConfig config, long now)
    {
        try
        {
            LogSegment active = ActiveSegment;
            if (active.ShouldRoll(config, records.Length, nextOffset - 1, maxTimestamp, now))
            {
                active = RollLocked(config, now);
            }

            active.Append(records);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw MarkOffline(e);
        }

        Volatile.Write(ref _logEndOffset, nextOffset);
        _unflushedBatches += batches;
        if (_unflushedBatches >= config.FlushMessages || (config.FlushMs != long.MaxValue && now - _lastFlushMs >= config.FlushMs))
        {
            FlushLocked(now);
        }
    }

    /// <summary>Starts a new active segment at the log end offset (segment.bytes/ms, full index, or on request).</summary>
    public void Roll()
    {
        ThrowIfOffline();
        lock (_writeLock)
        {
            try
            {
                RollLocked(Config, NowMs);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw MarkOffline(e);
            }
        }
    }

    /// <summary>Rolls when segment.ms has passed without appends, as Kafka's periodic check does.</summary>
    public void RollIfDue()
    {
        if (!_offline && ActiveSegment.IsTimeToRoll(Config, NowMs))
        {
            Roll();
        }
    }

    private LogSegment RollLocked(LogConfig config, long now)
    {
        LogSegment[] segments = _segments;
        LogSegment old = segments[^1];
        if (old.Size == 0)
        {
            return old;
        }

        old.OnBecomeInactive();
        LogSegment created = LogSegment.Create(Directory, _logEndOffset, config, now);
        created.PreallocateIndexes();
        PublishSegments([.. segments, created]);

        // Kafka snapshots producer state at every roll (written now, fsynced with the old segment), so recovery
        // replays at most the batches after the newest snapshot.
        string? snapshot = TakeProducerSnapshot(sync: false);

        // fsync the finished segment off the append path; the recovery point moves once it is durable.
        long durableUpTo = created.BaseOffset;
        Task previous = _rollFlush;
        _rollFlush = Task.Run(() =>
        {
            previous.Wait();
            try
            {
                if (snapshot is not null)
                {
                    FsyncIfExists(snapshot);
                }

                old.Flush();
                AdvanceRecoveryPoint(durableUpTo);
            }
            catch (ObjectDisposedException)
            {
                // Deleted (retention) before the flush ran: nothing left to make durable.
            }
            catch (IOException e)
            {
                MarkOffline(e);
            }
        });
        return created;
    }

    /// <summary>fsyncs every segment from the recovery point on and advances the recovery point.</summary>
    public void Flush()
    {
        ThrowIfOffline();
        lock (_writeLock)
        {
            FlushLocked(NowMs);
        }
    }

    /// <summary>Flushes when flush.ms has passed since the last flush; called periodically by the log manager.</summary>
    public void FlushIfDue()
    {
        LogConfig config = Config;
        if (_offline || config.FlushMs == long.MaxValue)
        {
            return;
        }

        lock (_writeLock)
        {
            long now = NowMs;
            if (_unflushedBatches > 0 && now - _lastFlushMs >= config.FlushMs)
            {
                FlushLocked(now);
            }
        }
    }

    private void FlushLocked(long now)
    {
        long upTo = _logEndOffset;
        try
        {
            LogSegment[] segments = _segments;
            int from = Math.Max(0, FloorSegmentIndex(segments, RecoveryPoint));
            for (int i = from; i < segments.Length; i++)
            {
                segments[i].Flush();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw MarkOffline(e);
        }

        AdvanceRecoveryPoint(upTo);
        _unflushedBatches = 0;
        _lastFlushMs = now;
    }

    private void AdvanceRecoveryPoint(long offset)
    {
        long current;
        do
        {
            current = Volatile.Read(ref _recoveryPoint);
            if (offset <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _recoveryPoint, offset, current) != current);
    }
}
