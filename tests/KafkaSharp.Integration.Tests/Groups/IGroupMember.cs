namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>What a test observes of one group member, whichever client runs it.</summary>
public interface IGroupMember : IAsyncDisposable
{
    string Name { get; }

    /// <summary>The partitions of the subscribed topic the member owns now.</summary>
    IReadOnlySet<int> Assignment { get; }

    /// <summary>How many times the member's assignment changed (assign, revoke or lost callbacks).</summary>
    int AssignmentChanges { get; }

    /// <summary>Leaves the group the way the client does on a clean shutdown.</summary>
    Task StopAsync();

    /// <summary>What went on in the member (callbacks, errors, client output), for failure messages.</summary>
    string History();
}

public static class GroupMembers
{
    /// <summary>
    /// Waits until the members own exactly the partitions given, member by member: the rebalance has finished.
    /// </summary>
    public static Task WaitForAssignmentAsync(IReadOnlyList<IGroupMember> members, int partitions, Func<IReadOnlyList<int>, bool> countsOk, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(
            () =>
            {
                var owned = members.SelectMany(m => m.Assignment).ToList();
                return owned.Count == partitions && owned.Distinct().Count() == partitions && countsOk([.. members.Select(m => m.Assignment.Count)]);
            },
            timeout,
            () => Describe(members) + "\n" + string.Join("\n", members.Select(m => m.History())));

    /// <summary>Waits until every member owns <paramref name="each"/> partitions and together they own all of them.</summary>
    public static Task WaitForEvenAssignmentAsync(IReadOnlyList<IGroupMember> members, int partitions, TimeSpan? timeout = null) =>
        WaitForAssignmentAsync(members, partitions, counts => counts.All(c => c == partitions / members.Count), timeout);

    public static string Describe(IEnumerable<IGroupMember> members) =>
        string.Join("; ", members.Select(m => $"{m.Name} owns [{string.Join(",", m.Assignment.Order())}] after {m.AssignmentChanges} changes"));
}
