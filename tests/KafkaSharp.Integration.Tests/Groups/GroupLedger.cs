using System.Text;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>One message as a group member processed it (after its offset commit returned).</summary>
public sealed record Delivery(string Member, int Partition, long Offset, string Value);

/// <summary>
/// Every message the members of one group processed, shared by all of them (in-process consumers and child
/// processes alike), so a test can check that each produced message reached the group exactly once.
/// </summary>
public sealed class GroupLedger
{
    private readonly Lock _gate = new();
    private readonly List<Delivery> _deliveries = [];

    public void Add(Delivery delivery)
    {
        lock (_gate)
        {
            _deliveries.Add(delivery);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _deliveries.Count;
            }
        }
    }

    public IReadOnlyList<Delivery> Snapshot()
    {
        lock (_gate)
        {
            return [.. _deliveries];
        }
    }

    public int CountFor(string member) => Snapshot().Count(d => d.Member == member);

    /// <summary>Waits until at least <paramref name="count"/> deliveries were recorded.</summary>
    public Task WaitForCountAsync(int count, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => Count >= count, timeout, () => $"the group processed {Count} of {count} messages:\n{Describe()}");

    /// <summary>
    /// Fails unless the group processed exactly the <paramref name="produced"/> messages, each once: no loss and no
    /// duplicate across rebalances.
    /// </summary>
    /// <param name="context">More to print on failure, such as the members' commit errors and rebalance callbacks.</param>
    public void AssertExactlyOnce(IEnumerable<ProducedMessage> produced, Func<string>? context = null)
    {
        IReadOnlyList<Delivery> deliveries = Snapshot();
        var duplicates = deliveries.GroupBy(d => (d.Partition, d.Offset)).Where(g => g.Count() > 1).ToList();
        Assert.True(duplicates.Count == 0, "Delivered more than once: " + string.Join("; ", duplicates.Select(g => $"{g.Key} to {string.Join(", ", g.Select(d => d.Member))}")) + "\n" + context?.Invoke());
        var expected = produced.ToDictionary(m => (m.Partition, m.Offset), m => m.Value);
        var delivered = deliveries.Select(d => (d.Partition, d.Offset)).ToHashSet();
        var missing = expected.Keys.Where(k => !delivered.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"Never delivered ({missing.Count}): {string.Join(", ", missing.Take(20))}\n{Describe()}");
        Assert.All(deliveries, d => Assert.Equal(expected.GetValueOrDefault((d.Partition, d.Offset)), d.Value));
        Assert.Equal(expected.Count, deliveries.Count);
    }

    public string Describe()
    {
        var text = new StringBuilder();
        foreach (IGrouping<string, Delivery> member in Snapshot().GroupBy(d => d.Member))
        {
            text.AppendLine($"  {member.Key}: {member.Count()} messages from partitions {string.Join(",", member.Select(d => d.Partition).Distinct().Order())}");
        }

        return text.ToString();
    }
}
