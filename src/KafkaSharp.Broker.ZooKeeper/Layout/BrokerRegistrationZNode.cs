using System.Globalization;
using System.Text.Json;
using KafkaSharp.Broker.Cluster;
using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.ZooKeeper.Layout;

/// <summary>
/// /brokers/ids/&lt;id&gt; (ephemeral), version 5 (BrokerIdZNode):
/// <code>
/// {"features":{},"listener_security_protocol_map":{"PLAINTEXT":"PLAINTEXT"},"endpoints":["PLAINTEXT://h:9092"],
///  "jmx_port":-1,"host":"h","timestamp":"1700000000000","port":9092,"version":5,"rack":"r1"}
/// </code>
/// host/port are the PLAINTEXT endpoint's (null and -1 without one), for pre-0.10 readers; rack only when set.
/// </summary>
public static class BrokerRegistrationZNode
{
    public const int Version = 5;

    public static byte[] Encode(BrokerNode broker, long timestampMs) => ZkJson.Write(w =>
    {
        BrokerEndpoint? plaintext = broker.Endpoints.FirstOrDefault(e => e.SecurityProtocol == SecurityProtocol.Plaintext);
        w.WriteStartObject("features");
        w.WriteEndObject();
        w.WriteStartObject("listener_security_protocol_map");
        foreach (BrokerEndpoint endpoint in broker.Endpoints)
        {
            w.WriteString(endpoint.ListenerName, ProtocolName(endpoint.SecurityProtocol));
        }

        w.WriteEndObject();
        w.WriteStartArray("endpoints");
        foreach (BrokerEndpoint endpoint in broker.Endpoints)
        {
            w.WriteStringValue($"{endpoint.ListenerName}://{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}");
        }

        w.WriteEndArray();
        w.WriteNumber("jmx_port", -1);
        if (plaintext is null)
        {
            w.WriteNull("host");
        }
        else
        {
            w.WriteString("host", plaintext.Host);
        }

        w.WriteString("timestamp", ZkJson.Timestamp(timestampMs));
        w.WriteNumber("port", plaintext?.Port ?? -1);
        w.WriteNumber("version", Version);
        if (broker.Rack is not null)
        {
            w.WriteString("rack", broker.Rack);
        }
    });

    /// <summary>Reads a registration of version 1 to 5 (versions before 2 had only host and port).</summary>
    public static BrokerNode Decode(int brokerId, ReadOnlySpan<byte> data) =>
        ZkJson.Read(ZkPaths.Broker(brokerId), data, root =>
        {
            string? rack = root.TryGetProperty("rack", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var protocols = new Dictionary<string, SecurityProtocol>(StringComparer.Ordinal);
            if (root.TryGetProperty("listener_security_protocol_map", out JsonElement map) && map.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty entry in map.EnumerateObject())
                {
                    protocols[entry.Name] = ParseProtocol(entry.Value.GetString()!);
                }
            }

            var endpoints = new List<BrokerEndpoint>();
            if (root.TryGetProperty("endpoints", out JsonElement list))
            {
                foreach (JsonElement item in list.EnumerateArray())
                {
                    endpoints.Add(ParseEndpoint(item.GetString()!, protocols));
                }
            }
            else
            {
                string host = ZkJson.Required(root, "host").GetString()!;
                endpoints.Add(new BrokerEndpoint("PLAINTEXT", host, ZkJson.RequiredInt(root, "port"), SecurityProtocol.Plaintext));
            }

            return new BrokerNode(brokerId, rack, endpoints);
        });

    /// <summary>"LISTENER://host:port", IPv6 hosts in brackets.</summary>
    private static BrokerEndpoint ParseEndpoint(string text, Dictionary<string, SecurityProtocol> protocols)
    {
        int scheme = text.IndexOf("://", StringComparison.Ordinal);
        int colon = text.LastIndexOf(':');
        if (scheme <= 0 || colon <= scheme + 2)
        {
            throw new FormatException($"endpoint '{text}' is not LISTENER://host:port");
        }

        string listener = text[..scheme];
        string host = text[(scheme + 3)..colon].Trim('[', ']');
        int port = int.Parse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture);
        SecurityProtocol protocol = protocols.TryGetValue(listener, out SecurityProtocol p) ? p : ParseProtocol(listener);
        return new BrokerEndpoint(listener, host, port, protocol);
    }

    private static string ProtocolName(SecurityProtocol protocol) => protocol switch
    {
        SecurityProtocol.Plaintext => "PLAINTEXT",
        SecurityProtocol.Ssl => "SSL",
        SecurityProtocol.SaslPlaintext => "SASL_PLAINTEXT",
        SecurityProtocol.SaslSsl => "SASL_SSL",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, null),
    };

    private static SecurityProtocol ParseProtocol(string name) => name switch
    {
        "PLAINTEXT" => SecurityProtocol.Plaintext,
        "SSL" => SecurityProtocol.Ssl,
        "SASL_PLAINTEXT" => SecurityProtocol.SaslPlaintext,
        "SASL_SSL" => SecurityProtocol.SaslSsl,
        _ => throw new FormatException($"unknown security protocol '{name}'"),
    };
}
