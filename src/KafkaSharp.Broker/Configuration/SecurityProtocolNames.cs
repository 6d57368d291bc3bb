using System.Diagnostics.CodeAnalysis;

namespace KafkaSharp.Broker.Configuration;

/// <summary>The names Kafka writes security protocols with (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL).</summary>
public static class SecurityProtocolNames
{
    public static string ToKafkaName(this SecurityProtocol protocol) => protocol switch
    {
        SecurityProtocol.Plaintext => "PLAINTEXT",
        SecurityProtocol.Ssl => "SSL",
        SecurityProtocol.SaslPlaintext => "SASL_PLAINTEXT",
        SecurityProtocol.SaslSsl => "SASL_SSL",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    /// <summary>Case-insensitive, as Kafka's SecurityProtocol.forName.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out SecurityProtocol? protocol)
    {
        protocol = name?.ToUpperInvariant() switch
        {
            "PLAINTEXT" => SecurityProtocol.Plaintext,
            "SSL" => SecurityProtocol.Ssl,
            "SASL_PLAINTEXT" => SecurityProtocol.SaslPlaintext,
            "SASL_SSL" => SecurityProtocol.SaslSsl,
            _ => null,
        };
        return protocol is not null;
    }
}
