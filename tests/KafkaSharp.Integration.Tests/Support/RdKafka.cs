using KafkaSharp.ClientCompat;

namespace KafkaSharp.Integration.Tests.Support;

/// <summary>Confluent.Kafka on Debian's librdkafka 2.0.2: see <see cref="RdKafkaCompat"/> (shared with the load tool).</summary>
public static class RdKafka
{
    public static void EnsureLoaded() => RdKafkaCompat.EnsureInstalled();
}
