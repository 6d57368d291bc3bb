using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using KafkaSharp.Protocol.Records;
using KafkaSharp.Storage.Log;
using KafkaSharp.Storage.Tests.Support;

namespace KafkaSharp.Storage.Tests;

/// <summary>
/// Crash tests with a real process: the child (KafkaSharp.Storage.CrashChild) appends and flushes, reporting each
/// flushed log end offset, until it is killed with SIGKILL at a random moment. Every test is bounded by a timeout.
/// </summary>
public class CrashTests
{
    private static readonly string ChildPath = Path.Combine(AppContext.BaseDirectory, "KafkaSharp.Storage.CrashChild.dll");

    [Fact]
    public async Task ReopenKeepsEveryFlushedBatchWhenChildKilledAtRandomMoments()
    {
        using var temp = new TempDirectory();
        string dir = temp.Sub("crash-0");
        int seed = Environment.TickCount;
        var random = new Random(seed);
        long flushed = 0;
        for (int round = 0; round < 4; round++)
        {
            (long ready, long reported) = await RunChildAndKillAsync(dir, random.Next(), random.Next(100, 600));
            Assert.True(ready >= flushed, $"seed {seed}: the child started at {ready}, below the flushed offset {flushed}");
            flushed = Math.Max(flushed, reported);

            List<(long Offset, string Value)> records = ReadAllAfterUncleanOpen(dir, out long logEnd);
            Assert.True(logEnd >= flushed, $"seed {seed}: recovered to {logEnd}, below the flushed offset {flushed}");
            Assert.Equal(Enumerable.Range(0, (int)logEnd).Select(i => (long)i), records.Select(r => r.Offset));
            Assert.All(records, r => Assert.StartsWith("o" + r.Offset.ToString(CultureInfo.InvariantCulture) + "x", r.Value + "x", StringComparison.Ordinal));
        }

        Assert.True(flushed > 0, "the child flushed at least once");
    }

    [Fact]
    public async Task ReopenCutsAtBatchBoundaryWhenSegmentTornAtRandomByte()
    {
        using var temp = new TempDirectory();
        string dir = temp.Sub("crash-0");
        int seed = Environment.TickCount;
        var random = new Random(seed);
        await RunChildAndKillAsync(dir, random.Next(), 400);
        string killed = DescribeSegments(dir);
        try
        {
            ReadAllAfterUncleanOpen(dir, out _);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"seed {seed}, reopening after the kill ({killed}): {e}");
        }

        string last = Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal).Last(f => new FileInfo(f).Length > 0);
        List<(long Position, long BaseOffset, int Size)> batches = ScanBatches(last);
        for (int attempt = 0; attempt < 8; attempt++)
        {
            string copy = temp.Sub("torn-" + attempt.ToString(CultureInfo.InvariantCulture) + "-0");
            CopyDirectory(dir, copy);
            string segment = Path.Combine(copy, Path.GetFileName(last));
            long cut = random.NextInt64(1, new FileInfo(segment).Length);
            using (var stream = new FileStream(segment, FileMode.Open))
            {
                stream.SetLength(cut);
            }

            var whole = batches.Where(b => b.Position + b.Size <= cut).ToList();
            long expectedEnd = whole.Count == 0 ? batches[0].BaseOffset : NextOffset(segment, whole[^1]);
            string context = $"seed {seed}, cut at {cut} in {Path.GetFileName(segment)} after {whole.Count} of {batches.Count} batches ({DescribeSegments(copy)})";
            long logEnd;
            try
            {
                ReadAllAfterUncleanOpen(copy, out logEnd);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{context}: {e}");
            }

            Assert.True(expectedEnd == logEnd, $"{context}: recovered to {logEnd}, expected {expectedEnd}");
            Assert.Equal(whole.Count == 0 ? 0 : whole[^1].Position + whole[^1].Size, new FileInfo(segment).Length);
        }
    }

    [Fact]
    public async Task ReopenTruncatesAtCorruptBatchWhenBitFlippedMidSegment()
    {
        using var temp = new TempDirectory();
        string dir = temp.Sub("crash-0");
        var random = new Random(Environment.TickCount);
        await RunChildAndKillAsync(dir, random.Next(), 500);
        ReadAllAfterUncleanOpen(dir, out long originalEnd);

        string[] segments = Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal).Where(f => new FileInfo(f).Length > 0).ToArray();
        string victim = segments[random.Next(segments.Length)];
        List<(long Position, long BaseOffset, int Size)> batches = ScanBatches(victim);
        var target = batches[random.Next(batches.Count / 2, batches.Count)];
        long flipAt = target.Position + RecordBatchHeader.AttributesOffset + random.Next(target.Size - RecordBatchHeader.AttributesOffset);
        using (var stream = new FileStream(victim, FileMode.Open))
        {
            stream.Position = flipAt;
            int b = stream.ReadByte();
            stream.Position = flipAt;
            stream.WriteByte((byte)(b ^ (1 << random.Next(8))));
        }

        List<(long Offset, string Value)> records = ReadAllAfterUncleanOpen(dir, out long logEnd);
        Assert.Equal(target.BaseOffset, logEnd);
        Assert.True(logEnd < originalEnd);
        Assert.Equal(Enumerable.Range(0, (int)logEnd).Select(i => (long)i), records.Select(r => r.Offset));
        Assert.DoesNotContain(Directory.GetFiles(dir, "*.log"), f => string.CompareOrdinal(Path.GetFileName(f), Path.GetFileName(victim)) > 0);
    }

    /// <summary>Starts the child, lets it run, kills it with SIGKILL; returns where it started and its last flush.</summary>
    private static async Task<(long Ready, long Flushed)> RunChildAndKillAsync(string dir, int seed, int runMs)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ChildPath);
        start.ArgumentList.Add(dir);
        start.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start the crash child.");
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            int readyAt = line?.IndexOf("READY ", StringComparison.Ordinal) ?? -1;
            if (readyAt < 0)
            {
                process.Kill();
                Assert.Fail($"child printed '{line}' instead of READY: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            }

            long ready = long.Parse(line![(readyAt + "READY ".Length)..], CultureInfo.InvariantCulture);
            long flushed = 0;
            var reader = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } reported)
                {
                    if (reported.StartsWith("F ", StringComparison.Ordinal))
                    {
                        Volatile.Write(ref flushed, long.Parse(reported[2..], CultureInfo.InvariantCulture));
                    }
                }
            });
            await Task.Delay(runMs, timeout.Token);
            process.Kill(); // SIGKILL on Unix: no finally blocks, no flush, no clean shutdown
            await process.WaitForExitAsync(timeout.Token);
            await reader.WaitAsync(timeout.Token);
            return (ready, Volatile.Read(ref flushed));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static List<(long Offset, string Value)> ReadAllAfterUncleanOpen(string dir, out long logEnd)
    {
        using PartitionLog log = PartitionLog.Open(dir, new TopicPartition("crash", 0), new Config.LogConfig { FileDeleteDelayMs = 0 }, LogLoadState.Unknown);
        logEnd = log.LogEndOffset;
        var records = new List<(long, string)>();
        long offset = 0;
        while (offset < logEnd)
        {
            byte[] bytes = log.Read(offset, 1 << 20).Records.ToArray();
            records.AddRange(BatchFactory.Decode(bytes).Select(r => (r.Offset, r.Value!)));
            offset = BatchFactory.NextOffsetAfter(bytes);
        }

        return records;
    }

    /// <summary>For failure messages: how many segments, and the last three with their sizes.</summary>
    private static string DescribeSegments(string dir)
    {
        string[] logs = Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal).ToArray();
        return $"{logs.Length} segments, last: " + string.Join(", ", logs.TakeLast(3).Select(f => Path.GetFileName(f) + " " + new FileInfo(f).Length + " B"));
    }

    private static List<(long Position, long BaseOffset, int Size)> ScanBatches(string segment)
    {
        byte[] bytes = File.ReadAllBytes(segment);
        var batches = new List<(long, long, int)>();
        int position = 0;
        while (position + RecordBatchHeader.Size <= bytes.Length)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(position + RecordBatchHeader.LengthOffset)) + RecordBatchHeader.LogOverhead;
            batches.Add((position, BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(position)), size));
            position += size;
        }

        return batches;
    }

    private static long NextOffset(string segment, (long Position, long BaseOffset, int Size) batch)
    {
        using var stream = new FileStream(segment, FileMode.Open, FileAccess.Read);
        var header = new byte[RecordBatchHeader.Size];
        stream.Position = batch.Position;
        stream.ReadExactly(header);
        return RecordBatchHeader.Read(header).NextOffset;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
