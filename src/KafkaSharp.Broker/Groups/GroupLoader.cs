using KafkaSharp.Protocol.Messages;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Broker.Groups;

/// <summary>
/// Replays one <c>__consumer_offsets</c> partition from its log start to its high watermark: the last record per key
/// wins, a null value removes the key (Kafka's GroupMetadataManager.doLoadGroupsAndOffsets, without transactions yet).
/// </summary>
internal static class GroupLoader
{
    /// <summary>What the partition holds: each group's last metadata (null when deleted) and its committed offsets.</summary>
    public sealed class Loaded
    {
        public Dictionary<string, GroupMetadataValue?> Groups { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Dictionary<GroupTopicPartition, CommittedOffset>> Offsets { get; } = new(StringComparer.Ordinal);
    }

    /// <param name="chunkBytes">How much to read per step (offsets.load.buffer.size).</param>
    public static Loaded Load(PartitionLog log, int chunkBytes, CancellationToken cancellationToken)
    {
        var loaded = new Loaded();
        long offset = log.LogStartOffset;
        long end = log.HighWatermark;
        while (offset < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LogReadResult read = log.Read(offset, chunkBytes, end);
            if (read.Records.IsEmpty)
            {
                break;
            }

            byte[] bytes = read.Records.ToArray();
            long next = ReplayChunk(bytes, loaded);
            if (next <= offset)
            {
                break;
            }

            offset = next;
        }

        return loaded;
    }

    /// <summary>Applies every record of the chunk's batches; returns the offset after the last batch.</summary>
    private static long ReplayChunk(ReadOnlySpan<byte> bytes, Loaded loaded)
    {
        long next = -1;
        var reader = new RecordSetReader(bytes, allowPartialTail: true);
        while (reader.TryReadNext(out RecordSetEntry entry))
        {
            if (!entry.IsBatch)
            {
                continue;
            }

            using RecordBatchReader batch = RecordBatchReader.Open(entry.Data, verifyCrc: false);
            next = batch.Header.NextOffset;
            if (batch.Header.IsControl || batch.Header.IsTransactional)
            {
                // Transactional offset commits arrive with the transactions work; their markers are control batches.
                continue;
            }

            foreach (Record record in batch)
            {
                if (!record.IsKeyNull)
                {
                    Apply(record, loaded);
                }
            }
        }

        return next;
    }

    private static void Apply(in Record record, Loaded loaded)
    {
        GroupRecordKey key = GroupRecordCodec.DecodeKey(record.Key);
        switch (key.Kind)
        {
            case GroupRecordKind.OffsetCommit:
                var tp = new GroupTopicPartition(key.Topic!, key.Partition);
                if (record.IsValueNull)
                {
                    if (loaded.Offsets.TryGetValue(key.Group!, out var removedFrom))
                    {
                        removedFrom.Remove(tp);
                    }
                }
                else
                {
                    if (!loaded.Offsets.TryGetValue(key.Group!, out var offsets))
                    {
                        loaded.Offsets[key.Group!] = offsets = [];
                    }

                    offsets[tp] = GroupRecordCodec.DecodeOffsetValue(record.Value, record.Offset);
                }

                break;
            case GroupRecordKind.GroupMetadata:
                loaded.Groups[key.Group!] = record.IsValueNull ? null : GroupRecordCodec.DecodeGroupValue(record.Value);
                break;
            default:
                break; // a record kind this coordinator does not know (e.g. the KIP-848 coordinator's): skipped
        }
    }
}
