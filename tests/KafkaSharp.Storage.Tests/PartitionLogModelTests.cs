using FsCheck;
using FsCheck.Fluent;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Config;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

/// <summary>
/// Model-based property test: random sequences of append / read / roll / retention / delete-records / restart
/// against a list of (offset, value) that is trivially correct.
/// </summary>
public class PartitionLogModelTests
{
    private abstract record Op;

    private sealed record AppendOp(int Records, int ValueSize) : Op;

    private sealed record ReadOp(int OffsetPercent, int MaxBytes) : Op;

    private sealed record RollOp : Op;

    private sealed record RetentionOp(int KeepBytes) : Op;

    private sealed record DeleteRecordsOp(int OffsetPercent) : Op;

    private sealed record RestartOp(bool Clean) : Op;

    private static Gen<Op> OpGen() => Gen.Frequency(
        (10, Gen.Choose(1, 6).SelectMany(n => Gen.Choose(0, 200).Select(size => (Op)new AppendOp(n, size)))),
        (5, Gen.Choose(0, 100).SelectMany(p => Gen.Choose(1, 3000).Select(b => (Op)new ReadOp(p, b)))),
        (2, Gen.Constant((Op)new RollOp())),
        (1, Gen.Choose(500, 5000).Select(b => (Op)new RetentionOp(b))),
        (1, Gen.Choose(0, 100).Select(p => (Op)new DeleteRecordsOp(p))),
        (1, Gen.Elements(true, false).Select(c => (Op)new RestartOp(c))));

    [Fact]
    public void LogMatchesModelWhenRandomOperationsApplied()
    {
        Arbitrary<Op[]> scenarios = Gen.ArrayOf(OpGen()).Resize(40).ToArbitrary();
        Prop.ForAll(scenarios, Run).Check(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    private static void Run(Op[] ops)
    {
        var config = new LogConfig
        {
            SegmentBytes = 1500,
            IndexIntervalBytes = 200,
            SegmentIndexBytes = 8 * 6,
            FileDeleteDelayMs = 0,
            RetentionMs = -1,
        };
        using var fixture = new LogFixture(config);
        var model = new List<(long Offset, string Value)>();
        long logStart = 0;
        int sequence = 0;
        foreach (Op op in ops)
        {
            switch (op)
            {
                case AppendOp append:
                {
                    var records = new TestRecord[append.Records];
                    for (int i = 0; i < records.Length; i++)
                    {
                        string value = $"v{sequence++}:" + new string('x', append.ValueSize);
                        records[i] = TestRecord.Of(null, value, i);
                        model.Add((model.Count == 0 ? logStart : model[^1].Offset + 1, value));
                    }

                    AppendResult result = fixture.Append(BatchFactory.Batch(fixture.Time.NowMs, records));
                    Assert.Equal(model[^1].Offset, result.LastOffset);
                    break;
                }

                case ReadOp read:
                    CheckRead(fixture.Log, model, logStart, read);
                    break;
                case RollOp:
                    fixture.Log.Roll();
                    break;
                case RetentionOp retention:
                {
                    // Segments wholly below the log start offset (left by DeleteRecords while they were active) go
                    // whatever retention.bytes says, as in Kafka; let them go first so the size check below sees only
                    // what retention.bytes deletes.
                    fixture.Config = config;
                    fixture.Log.UpdateConfig(fixture.Config);
                    fixture.Log.DeleteOldSegments();
                    fixture.Config = config with { RetentionBytes = retention.KeepBytes };
                    fixture.Log.UpdateConfig(fixture.Config);
                    long sizeBefore = fixture.Log.Size;
                    fixture.Log.DeleteOldSegments();
                    Assert.True(fixture.Log.LogStartOffset >= logStart);
                    Assert.True(fixture.Log.Size >= Math.Min(sizeBefore, retention.KeepBytes), "retention.bytes never deletes below the limit");
                    logStart = fixture.Log.LogStartOffset;
                    model.RemoveAll(r => r.Offset < logStart);
                    break;
                }

                case DeleteRecordsOp delete:
                {
                    long end = fixture.Log.LogEndOffset;
                    long target = logStart + ((end - logStart) * delete.OffsetPercent / 100);
                    Assert.Equal(Math.Max(target, logStart), fixture.Log.DeleteRecordsBefore(target));
                    logStart = Math.Max(target, logStart);
                    model.RemoveAll(r => r.Offset < logStart);
                    break;
                }

                case RestartOp restart:
                    fixture.Reopen(restart.Clean);
                    break;
            }

            Assert.Equal(logStart, fixture.Log.LogStartOffset);
            Assert.Equal(model.Count == 0 ? fixture.Log.LogEndOffset : model[^1].Offset + 1, fixture.Log.LogEndOffset);
        }

        Assert.Equal(model, fixture.ReadAll().Select(r => (r.Offset, r.Value!)));
    }

    private static void CheckRead(PartitionLog log, List<(long Offset, string Value)> model, long logStart, ReadOp read)
    {
        long end = log.LogEndOffset;
        long offset = logStart + ((end - logStart) * read.OffsetPercent / 100);
        byte[] bytes = log.Read(offset, read.MaxBytes).Records.ToArray();
        if (offset == end)
        {
            Assert.Empty(bytes);
            return;
        }

        Assert.NotEmpty(bytes);
        RecordBatchHeader first = RecordBatchHeader.Read(bytes);
        Assert.True(first.BaseOffset <= offset && offset <= first.LastOffset, "the first batch contains the fetch offset");
        Assert.True(bytes.Length <= read.MaxBytes || bytes.Length == first.TotalSize, "budget respected or exactly one batch (KIP-74)");
        // A batch straddling the log start still comes back whole; records below the start are not in the model.
        var returned = BatchFactory.Decode(bytes).Where(r => r.Offset >= logStart).Select(r => (r.Offset, r.Value!)).ToList();
        var expected = model.Where(r => r.Offset >= Math.Max(first.BaseOffset, logStart)).Take(returned.Count).ToList();
        Assert.Equal(expected, returned);
    }
}
