using System.Text;

namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// Reads the <c>.properties</c> format the way <c>java.util.Properties.load</c> does, because Kafka reads
/// server.properties with it and users' files rely on its quirks:
/// <list type="bullet">
/// <item><c>key=value</c>, <c>key: value</c> and <c>key value</c>; whitespace around the separator is dropped,
/// trailing whitespace of the value is kept.</item>
/// <item>Lines whose first non-blank character is <c>#</c> or <c>!</c> are comments; blank lines are skipped.</item>
/// <item>An odd number of backslashes at the end of a line joins the next line, minus its leading whitespace.</item>
/// <item>Escapes <c>\t \n \r \f \uXXXX</c>; any other escaped character stands for itself (<c>\=</c>, <c>\:</c>, <c>\ </c>, <c>\\</c>).</item>
/// <item>A repeated key keeps its last value.</item>
/// </list>
/// </summary>
public static class JavaProperties
{
    /// <summary>
    /// Loads a file. Java's <c>Properties.load(InputStream)</c> decodes ISO-8859-1, so non-ASCII text must be written as
    /// <c>\uXXXX</c>; we decode the same way so a file means the same here as under Kafka.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        try
        {
            return Parse(File.ReadAllText(path, Encoding.Latin1));
        }
        catch (PropertiesFormatException e)
        {
            throw new PropertiesFormatException(path, e.LineNumber, e.Problem);
        }
    }

    /// <summary>Parses properties text; throws <see cref="PropertiesFormatException"/> naming the line of a malformed escape.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = new PropertiesLineReader(text);
        while (lines.TryReadLogicalLine(out var line, out var lineNumber))
        {
            var (key, value) = SplitKeyValue(line, lineNumber);
            result[key] = value;
        }

        return result;
    }

    private static (string Key, string Value) SplitKeyValue(string line, int lineNumber)
    {
        // The key ends at the first unescaped '=', ':' or whitespace.
        var keyEnd = 0;
        var escaped = false;
        while (keyEnd < line.Length)
        {
            var c = line[keyEnd];
            if (escaped)
            {
                escaped = false;
            }
            else if (c == '\\')
            {
                escaped = true;
            }
            else if (c is '=' or ':' || IsWhitespace(c))
            {
                break;
            }

            keyEnd++;
        }

        // Then: optional whitespace, at most one '=' or ':', optional whitespace.
        var valueStart = keyEnd;
        while (valueStart < line.Length && IsWhitespace(line[valueStart]))
        {
            valueStart++;
        }

        if (valueStart < line.Length && line[valueStart] is '=' or ':')
        {
            valueStart++;
            while (valueStart < line.Length && IsWhitespace(line[valueStart]))
            {
                valueStart++;
            }
        }

        var key = Unescape(line.AsSpan(0, keyEnd), lineNumber);
        var value = Unescape(line.AsSpan(valueStart), lineNumber);
        return (key, value);
    }

    private static string Unescape(ReadOnlySpan<char> text, int lineNumber)
    {
        if (!text.Contains('\\'))
        {
            return text.ToString();
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                builder.Append(c);
                continue;
            }

            var escape = text[++i];
            switch (escape)
            {
                case 't': builder.Append('\t'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 'f': builder.Append('\f'); break;
                case 'u':
                    builder.Append(ReadUnicodeEscape(text, i + 1, lineNumber));
                    i += 4;
                    break;
                default: builder.Append(escape); break;
            }
        }

        return builder.ToString();
    }

    private static char ReadUnicodeEscape(ReadOnlySpan<char> text, int start, int lineNumber)
    {
        if (start + 4 > text.Length)
        {
            throw new PropertiesFormatException(lineNumber, "malformed \\uXXXX escape: fewer than four hex digits.");
        }

        var code = 0;
        for (var i = start; i < start + 4; i++)
        {
            var digit = HexValue(text[i]);
            if (digit < 0)
            {
                throw new PropertiesFormatException(lineNumber, $"malformed \\uXXXX escape: '{text[i]}' is not a hex digit.");
            }

            code = (code << 4) | digit;
        }

        return (char)code;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    internal static bool IsWhitespace(char c) => c is ' ' or '\t' or '\f';
}
