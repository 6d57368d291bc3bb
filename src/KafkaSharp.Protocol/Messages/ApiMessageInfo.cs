namespace KafkaSharp.Protocol.Messages;

/// <summary>
/// What the schemas say about one API. <paramref name="HighestVersion"/> is the highest stable version;
/// a first flexible version of -1 means the API has none.
/// </summary>
public sealed record ApiMessageInfo(
    ApiKey ApiKey,
    string Name,
    short LowestVersion,
    short HighestVersion,
    short FirstFlexibleRequestVersion,
    short FirstFlexibleResponseVersion)
{
    public bool IsRequestFlexible(short version) => FirstFlexibleRequestVersion >= 0 && version >= FirstFlexibleRequestVersion;

    public bool IsResponseFlexible(short version) => FirstFlexibleResponseVersion >= 0 && version >= FirstFlexibleResponseVersion;
}
