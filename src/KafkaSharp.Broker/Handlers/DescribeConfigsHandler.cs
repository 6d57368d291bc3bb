using KafkaSharp.Broker.Admin;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.Requests;
using KafkaSharp.Protocol;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// DescribeConfigs (v0–4) for topics and brokers, one result per resource with its own error (see
/// <see cref="ConfigAdmin"/>). v0 reports is_default instead of a source; v1 adds config_source and, when asked,
/// synonyms; v3 adds config_type and documentation (null: this broker carries no config documentation).
/// </summary>
public sealed class DescribeConfigsHandler : RequestHandler<DescribeConfigsRequest>
{
    private readonly ConfigAdmin _admin;

    public DescribeConfigsHandler(ConfigAdmin admin) => _admin = admin;

    protected override ValueTask<IApiMessage?> HandleAsync(RequestContext context, DescribeConfigsRequest request, CancellationToken cancellationToken)
    {
        short version = context.ApiVersion;
        bool synonyms = version >= 1 && request.IncludeSynonyms;
        var response = new DescribeConfigsResponse();
        foreach (DescribeConfigsRequest.DescribeConfigsResource resource in request.Resources)
        {
            ConfigResult result = _admin.Describe((ConfigResourceType)resource.ResourceType, resource.ResourceName, resource.ConfigurationKeys);
            response.Results.Add(new DescribeConfigsResponse.DescribeConfigsResult
            {
                ErrorCode = (short)result.Error,
                ErrorMessage = result.Message,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
                Configs = [.. result.Entries.Select(entry => ToWire(entry, version, synonyms))],
            });
        }

        return ValueTask.FromResult<IApiMessage?>(response);
    }

    private static DescribeConfigsResponse.DescribeConfigsResourceResult ToWire(ConfigEntry entry, short version, bool includeSynonyms) => new()
    {
        Name = entry.Name,
        Value = entry.IsSensitive ? null : entry.Value,
        ReadOnly = entry.IsReadOnly,
        IsDefault = version == 0 && entry.Source == ConfigSource.DefaultConfig,
        ConfigSource = (sbyte)entry.Source,
        IsSensitive = entry.IsSensitive,
        Synonyms = includeSynonyms
            ? [.. entry.Synonyms.Select(s => new DescribeConfigsResponse.DescribeConfigsSynonym { Name = s.Name, Value = s.Value, Source = (sbyte)s.Source })]
            : [],
        ConfigType = (sbyte)entry.Type,
        Documentation = null,
    };
}
