using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// Parses <c>listeners</c>, <c>advertised.listeners</c> and <c>listener.security.protocol.map</c> with Kafka's
/// rules: entries <c>NAME://host:port</c> separated by commas, the host optionally in brackets (IPv6), empty host
/// meaning all interfaces, and every listener name mapped to a security protocol.
/// </summary>
internal static partial class ListenerParser
{
    public const string DefaultSecurityProtocolMap = "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT";

    public static IReadOnlyDictionary<string, SecurityProtocol> ParseSecurityProtocolMap(string key, string value)
    {
        var map = new Dictionary<string, SecurityProtocol>(StringComparer.Ordinal);
        foreach (var entry in SplitCsv(value))
        {
            var colon = entry.LastIndexOf(':');
            if (colon < 0)
            {
                throw ConfigException.InvalidValue(key, value, $"entry '{entry}' is not of the form LISTENER_NAME:SECURITY_PROTOCOL");
            }

            var listenerName = entry[..colon].Trim().ToUpperInvariant();
            var protocolName = entry[(colon + 1)..].Trim();
            if (!SecurityProtocolNames.TryParse(protocolName, out var protocol))
            {
                throw ConfigException.InvalidValue(key, value,
                    $"invalid security protocol '{protocolName}' (expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL)");
            }

            map[listenerName] = protocol.Value;
        }

        return map;
    }

    /// <summary>
    /// Parses a listener list. Names must be distinct; when <paramref name="requireDistinctPorts"/> (the bound
    /// <c>listeners</c>) ports must be too, except port 0 and except one IPv4 and one IPv6 address sharing a port.
    /// </summary>
    public static IReadOnlyList<ListenerEndpoint> Parse(
        string key, string value, IReadOnlyDictionary<string, SecurityProtocol> protocolMap, bool requireDistinctPorts)
    {
        var endpoints = new List<ListenerEndpoint>();
        foreach (var entry in SplitCsv(value.Trim()))
        {
            endpoints.Add(ParseEndpoint(key, value, entry, protocolMap));
        }

        var duplicateName = endpoints.GroupBy(e => e.ListenerName).FirstOrDefault(g => g.Count() > 1);
        if (duplicateName is not null)
        {
            throw ConfigException.InvalidValue(key, value, $"each listener must have a different name; '{duplicateName.Key}' appears more than once");
        }

        if (requireDistinctPorts)
        {
            CheckDistinctPorts(key, value, endpoints);
        }

        return endpoints;
    }

    private static ListenerEndpoint ParseEndpoint(
        string key, string value, string entry, IReadOnlyDictionary<string, SecurityProtocol> protocolMap)
    {
        var match = EndpointPattern().Match(entry);
        if (!match.Success)
        {
            throw ConfigException.InvalidValue(key, value, $"unable to parse '{entry}' as a listener (expected NAME://host:port)");
        }

        var listenerName = match.Groups["name"].Value.ToUpperInvariant();
        var host = match.Groups["host"].Value;
        if (!int.TryParse(match.Groups["port"].Value, out var port) || port is < 0 or > 65535)
        {
            throw ConfigException.InvalidValue(key, value, $"port of '{entry}' must be between 0 and 65535");
        }

        if (!protocolMap.TryGetValue(listenerName, out var protocol))
        {
            throw ConfigException.InvalidValue(key, value,
                $"no security protocol defined for listener {listenerName} (map it in listener.security.protocol.map)");
        }

        return new ListenerEndpoint(listenerName, host.Length == 0 ? null : host, port, protocol);
    }

    private static void CheckDistinctPorts(string key, string value, List<ListenerEndpoint> endpoints)
    {
        foreach (var samePort in endpoints.Where(e => e.Port != 0).GroupBy(e => e.Port).Where(g => g.Count() > 1))
        {
            var sharing = samePort.ToList();
            var families = sharing.Select(e => IPAddress.TryParse(e.Host, out var address) ? address.AddressFamily : (AddressFamily?)null).ToList();
            var oneV4OneV6 = sharing.Count == 2
                && families.Contains(AddressFamily.InterNetwork)
                && families.Contains(AddressFamily.InterNetworkV6);
            if (!oneV4OneV6)
            {
                throw ConfigException.InvalidValue(key, value,
                    $"each listener must have a different port unless one listens on an IPv4 and the other on an IPv6 address; port {samePort.Key} is shared");
            }
        }
    }

    /// <summary>Kafka's CSV rule: split on commas with surrounding whitespace, dropping empty entries.</summary>
    internal static IEnumerable<string> SplitCsv(string value) =>
        value.Length == 0 ? [] : CsvSeparator().Split(value).Where(entry => entry.Length > 0);

    [GeneratedRegex(@"^(?<name>.*)://\[?(?<host>[0-9a-zA-Z\-%._:]*)\]?:(?<port>-?[0-9]+)$")]
    private static partial Regex EndpointPattern();

    [GeneratedRegex(@"\s*,\s*")]
    private static partial Regex CsvSeparator();
}
