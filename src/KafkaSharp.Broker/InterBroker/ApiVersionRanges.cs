using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.InterBroker;

/// <summary>
/// What a peer advertised in ApiVersions, and the version both sides speak for each API: the highest version in
/// the overlap of the peer's range, the message's own range and this build's message table.
/// </summary>
public sealed class ApiVersionRanges
{
    private readonly Dictionary<short, (short Min, short Max)> _ranges;

    public ApiVersionRanges(IEnumerable<ApiVersionsResponse.ApiVersion> advertised)
    {
        ArgumentNullException.ThrowIfNull(advertised);
        _ranges = new Dictionary<short, (short, short)>();
        foreach (ApiVersionsResponse.ApiVersion api in advertised)
        {
            _ranges[api.ApiKey] = (api.MinVersion, api.MaxVersion);
        }
    }

    public bool TryGetPeerRange(ApiKey apiKey, out short min, out short max)
    {
        bool found = _ranges.TryGetValue((short)apiKey, out (short Min, short Max) range);
        (min, max) = range;
        return found;
    }

    /// <summary>
    /// The version to send <paramref name="request"/> at, capped by <paramref name="maxVersion"/> (e.g. an
    /// inter.broker.protocol.version); null when the ranges do not overlap or the peer lacks the API.
    /// </summary>
    public short? Negotiate(IApiMessage request, short maxVersion = short.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryGetPeerRange(request.ApiKey, out short peerMin, out short peerMax)
            || !ApiMessageTable.TryGet(request.ApiKey, out ApiMessageInfo? info))
        {
            return null;
        }

        short low = Math.Max(Math.Max(peerMin, info.LowestVersion), request.LowestSupportedVersion);
        short high = Math.Min(Math.Min(Math.Min(peerMax, info.HighestVersion), request.HighestSupportedVersion), maxVersion);
        return low <= high ? high : null;
    }
}
