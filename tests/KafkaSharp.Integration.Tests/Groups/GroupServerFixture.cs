using KafkaSharp.Integration.Tests.Support;

namespace KafkaSharp.Integration.Tests.Groups;

/// <summary>
/// One server for the group tests, tuned so rebalances take milliseconds rather than Kafka's production seconds:
/// no initial rebalance delay (the first member of an empty group need not wait 3 s for others) and a minimum
/// session timeout low enough for members that are declared dead within a couple of seconds. Tests use unique
/// topic and group names.
/// </summary>
public sealed class GroupServerFixture : IAsyncLifetime
{
    private ServerHost? _host;

    public ServerHost Host => _host ?? throw new InvalidOperationException("The fixture has not started.");

    public string BootstrapServers => Host.BootstrapServers;

    /// <summary>The broker settings every group test server uses.</summary>
    public static readonly string[] Settings =
    [
        "group.initial.rebalance.delay.ms=0",
        "group.min.session.timeout.ms=500",
        "auto.create.topics.enable=false",
    ];

    public async Task InitializeAsync()
    {
        RdKafka.EnsureLoaded();
        _host = await ServerHost.StartAsync(Settings);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

/// <summary>Group test classes in this collection share one <see cref="GroupServerFixture"/> server.</summary>
[CollectionDefinition(nameof(GroupServerCollection))]
public sealed class GroupServerCollection : ICollectionFixture<GroupServerFixture>;
