namespace KafkaSharp.ProtocolGen.Emit;

/// <summary>C# names for schema names. The internal-topic layouts use camelCase, so the first letter is raised.</summary>
internal static class Names
{
    public static string Property(string schemaName) =>
        schemaName.Length == 0 ? schemaName : char.ToUpperInvariant(schemaName[0]) + schemaName[1..];

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
