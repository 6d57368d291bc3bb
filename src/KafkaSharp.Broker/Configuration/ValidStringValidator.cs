namespace KafkaSharp.Broker.Configuration;

/// <summary>A string, or every element of a list, must be one of a fixed set (Kafka's ValidString / ValidList).</summary>
internal sealed class ValidStringValidator(IReadOnlyList<string> allowed, StringComparer comparer) : ConfigValidator
{
    public override string? Check(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return allowed.Contains(s, comparer) ? null : $"must be one of {this}";
            case IEnumerable<string> list:
                var bad = list.FirstOrDefault(item => !allowed.Contains(item, comparer));
                return bad is null ? null : $"'{bad}' is not one of {this}";
            default:
                return $"must be one of {this}";
        }
    }

    public override string ToString() => "[" + string.Join(", ", allowed) + "]";
}
