using KafkaSharp.Storage.Checkpoints;
using KafkaSharp.Storage.Log;

namespace KafkaSharp.Broker.DataPlane;

/// <summary>
/// Leader-epoch questions asked of a log's epoch cache, answered as Kafka's LeaderEpochFileCache answers them.
/// </summary>
public static class LeaderEpochs
{
    /// <summary>
    /// OffsetForLeaderEpoch (KIP-101/320): the end offset of <paramref name="requested"/> — where the next higher epoch
    /// starts, or the log end for the latest epoch — with the largest known epoch ≤ it. An epoch above every known one
    /// is undefined (-1, -1); one below the first known is answered with itself and the first epoch's start offset.
    /// </summary>
    /// <remarks>
    /// Storage's <see cref="LeaderEpochCache.EndOffsetFor"/> differs in both edge cases (it answers the latest epoch
    /// and the log end for a too-high epoch, and -1 for a too-low one), so the broker computes Kafka's answer here.
    /// </remarks>
    public static (int Epoch, long EndOffset) EndOffsetFor(LeaderEpochCache cache, int requested, long logEndOffset)
    {
        IReadOnlyList<EpochEntry> entries = cache.Entries;
        if (requested < 0 || entries.Count == 0)
        {
            return (-1, -1);
        }

        if (entries[^1].Epoch == requested)
        {
            return (requested, logEndOffset);
        }

        int higher = -1;
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].Epoch > requested)
            {
                higher = i;
                break;
            }
        }

        if (higher < 0)
        {
            return (-1, -1);
        }

        return higher == 0 ? (requested, entries[0].StartOffset) : (entries[higher - 1].Epoch, entries[higher].StartOffset);
    }

    /// <summary>The epoch in which <paramref name="offset"/> was written (-1 when unknown), for ListOffsets v4+.</summary>
    public static int EpochForOffset(LeaderEpochCache cache, long offset)
    {
        IReadOnlyList<EpochEntry> entries = cache.Entries;
        int epoch = -1;
        foreach (EpochEntry entry in entries)
        {
            if (entry.StartOffset > offset)
            {
                break;
            }

            epoch = entry.Epoch;
        }

        return epoch;
    }
}
