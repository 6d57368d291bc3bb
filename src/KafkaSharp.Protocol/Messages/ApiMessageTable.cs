using System.Diagnostics.CodeAnalysis;

namespace KafkaSharp.Protocol.Messages;

/// <summary>Look-ups over the generated API list and the header version rules.</summary>
public static partial class ApiMessageTable
{
    private static readonly ApiMessageInfo?[] s_byKey = BuildIndex();

    public static bool TryGet(ApiKey apiKey, [NotNullWhen(true)] out ApiMessageInfo? info)
    {
        int index = (int)apiKey;
        info = index >= 0 && index < s_byKey.Length ? s_byKey[index] : null;
        return info is not null;
    }

    /// <summary>The API's entry; an unknown key is an <see cref="UnsupportedVersionException"/>.</summary>
    public static ApiMessageInfo Get(ApiKey apiKey) =>
        TryGet(apiKey, out ApiMessageInfo? info) ? info : throw new UnsupportedVersionException($"Unknown API key {(short)apiKey}.");

    /// <summary>True when the key is known and the version lies in its stable range.</summary>
    public static bool IsSupported(ApiKey apiKey, short version) =>
        TryGet(apiKey, out ApiMessageInfo? info) && version >= info.LowestVersion && version <= info.HighestVersion;

    /// <summary>
    /// The request header version: 2 for flexible versions, else 1. ControlledShutdown v0 alone uses header v0,
    /// which has no client id.
    /// </summary>
    public static short RequestHeaderVersion(ApiKey apiKey, short apiVersion)
    {
        ApiMessageInfo info = Get(apiKey);
        if (apiKey == ApiKey.ControlledShutdown && apiVersion == 0)
        {
            return 0;
        }

        return info.IsRequestFlexible(apiVersion) ? (short)2 : (short)1;
    }

    /// <summary>
    /// The response header version: 1 for flexible versions, else 0. ApiVersions always answers with header v0,
    /// because a client parses that response before it knows which versions the broker supports (KIP-511).
    /// </summary>
    public static short ResponseHeaderVersion(ApiKey apiKey, short apiVersion)
    {
        ApiMessageInfo info = Get(apiKey);
        if (apiKey == ApiKey.ApiVersions)
        {
            return 0;
        }

        return info.IsResponseFlexible(apiVersion) ? (short)1 : (short)0;
    }

    private static ApiMessageInfo?[] BuildIndex()
    {
        ApiMessageInfo?[] byKey = new ApiMessageInfo?[All.Max(i => (int)i.ApiKey) + 1];
        foreach (ApiMessageInfo info in All)
        {
            byKey[(int)info.ApiKey] = info;
        }

        return byKey;
    }
}
