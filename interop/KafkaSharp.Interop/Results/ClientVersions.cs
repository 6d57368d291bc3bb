namespace KafkaSharp.Interop.Results;

/// <summary>The client versions the matrix was made with (pinned by Debian packages, npm's lockfile and the csproj).</summary>
public static class ClientVersions
{
    public static string Describe()
    {
        string librdkafka;
        try
        {
            KafkaSharp.ClientCompat.RdKafkaCompat.EnsureInstalled();
            librdkafka = Confluent.Kafka.Library.VersionString;
        }
        catch (DllNotFoundException)
        {
            librdkafka = "not found";
        }

        return $"Confluent.Kafka 2.15.1 and kcat on librdkafka {librdkafka}; confluent-kafka-python 1.7.0 and kafka-python 2.0.2 (Debian, /usr/bin/python3); kafkajs 2.2.4 and @platformatic/kafka 1.35.0 (npm, interop/package-lock.json)";
    }
}
