namespace KafkaSharp.Broker.Topics;

/// <summary>Kafka's topic name rules (Topic.validate) and the metric-name collision between '.' and '_'.</summary>
public static class TopicNames
{
    public const int MaxLength = 249;

    /// <summary>Null when <paramref name="name"/> is a legal topic name, else Kafka's reason.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "Topic name is illegal, it can't be empty";
        }

        if (name is "." or "..")
        {
            return "Topic name cannot be \".\" or \"..\"";
        }

        if (name.Length > MaxLength)
        {
            return $"Topic name is illegal, it can't be longer than {MaxLength} characters, topic name: {name}";
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return $"Topic name \"{name}\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }

        return null;
    }

    /// <summary>True when the names differ only by '.' versus '_' (they would share metric names).</summary>
    public static bool Collide(string first, string second) =>
        string.Equals(Unify(first), Unify(second), StringComparison.Ordinal);

    public static bool HasCollisionChars(string name) => name.Contains('.', StringComparison.Ordinal) || name.Contains('_', StringComparison.Ordinal);

    private static string Unify(string name) => name.Replace('.', '_');
}
