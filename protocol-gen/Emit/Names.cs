namespace KafkaSharp.ProtocolGen.Emit;

/// <summary>C# names for schema names. The internal-topic layouts use camelCase, so the first letter is raised.</summary>
public static class Names
{
    // Members every generated class has; a field with one of these names gets "Value" appended.
    private static readonly HashSet<string> s_reserved =
    [
        "Read", "Write", "Size", "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "UnknownTaggedFields",
        "LowestSupportedVersion", "HighestSupportedVersion", "LowestVersion", "HighestVersion",
    ];

    /// <summary>The C# property name of a schema field.</summary>
    public static string Property(string schemaName)
    {
        string name = schemaName.Length == 0 ? schemaName : char.ToUpperInvariant(schemaName[0]) + schemaName[1..];
        return s_reserved.Contains(name) ? name + "Value" : name;
    }

    /// <summary>A C# string literal with the characters that need it escaped.</summary>
    public static string StringLiteral(string value)
    {
        System.Text.StringBuilder builder = new("\"");
        foreach (char c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
