using System.Buffers;
using System.Globalization;
using System.Text;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;

// Usage: CrashChild <partitionDir> <seed>
// Opens (recovering) the log, then appends batches whose record values are their own offsets ("o<offset>"),
// flushing every few batches and printing "F <logEndOffset>" once a flush returned. The parent kills it at a random
// moment and checks that every offset reported as flushed survived.
string dir = args[0];
var random = new Random(int.Parse(args[1], CultureInfo.InvariantCulture));
var config = new LogConfig { SegmentBytes = 64 * 1024, IndexIntervalBytes = 512, SegmentIndexBytes = 8 * 64, FileDeleteDelayMs = 0 };
using PartitionLog log = PartitionLog.Open(dir, new TopicPartition("crash", 0), config, LogLoadState.Unknown);
Console.Out.WriteLine("READY " + log.LogEndOffset.ToString(CultureInfo.InvariantCulture));
Console.Out.Flush();
using var builder = new RecordBatchBuilder();
var output = new ArrayBufferWriter<byte>();
while (true)
{
    long next = log.LogEndOffset;
    int count = random.Next(1, 20);
    builder.Reset();
    builder.BaseOffset = 0;
    for (int i = 0; i < count; i++)
    {
        builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, Encoding.UTF8.GetBytes("o" + (next + i).ToString(CultureInfo.InvariantCulture) + new string('x', random.Next(0, 300))));
    }

    output.ResetWrittenCount();
    builder.WriteTo(output);
    log.Append(output.WrittenSpan.ToArray(), 1);
    if (random.Next(4) == 0)
    {
        log.Flush();
        Console.Out.WriteLine("F " + log.LogEndOffset.ToString(CultureInfo.InvariantCulture));
        Console.Out.Flush();
    }
}
