using KafkaSharp.Broker;

namespace KafkaSharp.Server;

/// <summary>
/// Where connection handlers find the broker. Kestrel builds its connection handler when the app is built, but in
/// ZooKeeper mode the broker can only be made after ZooKeeper answered (its id may come from there).
/// </summary>
internal sealed class BrokerSlot
{
    private KafkaBroker? _broker;

    public KafkaBroker Broker
    {
        get => Volatile.Read(ref _broker) ?? throw new InvalidOperationException("The broker is created before the server starts listening.");
        set => Volatile.Write(ref _broker, value);
    }
}
