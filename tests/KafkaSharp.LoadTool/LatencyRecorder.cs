using System.Diagnostics;

namespace KafkaSharp.LoadTool;

/// <summary>Latency samples in Stopwatch ticks, appended from one thread at a time, summarised once at the end.</summary>
internal sealed class LatencyRecorder(int capacity)
{
    private long[] _samples = new long[capacity];
    private int _count;

    public int Count => _count;

    public void Add(long ticks)
    {
        if (_count == _samples.Length)
        {
            Array.Resize(ref _samples, _samples.Length * 2);
        }

        _samples[_count++] = ticks;
    }

    public Percentiles Summarise()
    {
        if (_count == 0)
        {
            return new Percentiles(double.NaN, double.NaN, double.NaN);
        }

        Span<long> samples = _samples.AsSpan(0, _count);
        samples.Sort();
        return new Percentiles(At(samples, 0.50), At(samples, 0.99), At(samples, 0.999));
    }

    private static double At(Span<long> sorted, double quantile)
    {
        int index = Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1);
        return sorted[Math.Max(0, index)] * 1000.0 / Stopwatch.Frequency;
    }
}
