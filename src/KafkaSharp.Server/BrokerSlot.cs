using KafkaSharp.Broker;

namespace KafkaSharp.Server;

/// <summary>
/// Where connection handlers find the broker. Kestrel builds its connection handler when the app is built, but in
/// ZooKeeper mode the broker can only be made after ZooKeeper answered (its id may come from there). Like Kafka's
/// socket server, which binds early but processes requests only once start-up is done, connections wait for
/// <see cref="Ready"/>: in ZooKeeper mode that is after registration and once the controller's UpdateMetadata
/// arrived, so a client's first Metadata already names a controller and the cluster (librdkafka's admin client
/// otherwise waits for its next refresh). Connections from other brokers are served at once
/// (<see cref="InterBrokerConnections"/>): the controller's requests are what fill the metadata.
/// </summary>
internal sealed class BrokerSlot
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private KafkaBroker? _broker;

    public Task Ready => _ready.Task;

    public void MarkReady() => _ready.TrySetResult();

    public KafkaBroker Broker
    {
        get => Volatile.Read(ref _broker) ?? throw new InvalidOperationException("The broker is created before the server starts listening.");
        set => Volatile.Write(ref _broker, value);
    }
}
