using KafkaSharp.Storage.Segments;

namespace KafkaSharp.Storage.Log;

/// <summary>What a produce response needs: the offsets given, LogAppendTime (-1 for CreateTime), the log start.</summary>
public readonly record struct AppendResult(long FirstOffset, long LastOffset, long LogAppendTime, long MaxTimestamp, long LogStartOffset, long RecordCount);

/// <summary>A fetch answer: whole batches as a file slice, and the log's bounds when it was read.</summary>
public readonly record struct LogReadResult(long FetchOffset, FileSlice Records, long LogStartOffset, long LogEndOffset, long HighWatermark);

/// <summary>An offset found by timestamp (ListOffsets), with the timestamp of the record there.</summary>
public readonly record struct TimestampAndOffset(long Timestamp, long Offset);
