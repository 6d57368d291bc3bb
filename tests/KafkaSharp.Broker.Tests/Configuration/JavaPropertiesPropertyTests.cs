using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using KafkaSharp.Broker.Configuration;

namespace KafkaSharp.Broker.Tests.Configuration;

/// <summary>Generated round trips: any keys and values, escaped as Java's Properties.store would, parse back unchanged.</summary>
public class JavaPropertiesPropertyTests
{
    [Fact]
    public void ParseReturnsStoredPairsWhenTextWasEscapedLikeJava()
    {
        Prop.ForAll<string[]>(items =>
        {
            var expected = new Dictionary<string, string>(StringComparer.Ordinal);
            var text = new StringBuilder();
            for (var i = 0; i + 1 < items.Length; i += 2)
            {
                var key = items[i] ?? string.Empty;
                var value = items[i + 1] ?? string.Empty;
                expected[key] = value;
                text.Append(Escape(key, isKey: true)).Append('=').Append(Escape(value, isKey: false)).Append('\n');
            }

            var parsed = JavaProperties.Parse(text.ToString());
            return parsed.Count == expected.Count && expected.All(pair => parsed.TryGetValue(pair.Key, out var v) && v == pair.Value);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ParseNeverFailsWhenTextHasNoUnicodeEscapes()
    {
        // Without "\u", java.util.Properties accepts any text; so must we.
        Prop.ForAll<string>(text =>
        {
            var input = (text ?? string.Empty).Replace("\\u", "u", StringComparison.Ordinal);
            var parsed = JavaProperties.Parse(input);
            return parsed.Count <= input.Count(c => c is '\n' or '\r') + 1;
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>Escapes like Properties.store: separators, comment starters, control and non-ASCII characters.</summary>
    private static string Escape(string text, bool isKey)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\t': builder.Append(@"\t"); break;
                case '\n': builder.Append(@"\n"); break;
                case '\r': builder.Append(@"\r"); break;
                case '\f': builder.Append(@"\f"); break;
                case '=' or ':' or '#' or '!': builder.Append('\\').Append(c); break;
                case ' ' when isKey || i == 0: builder.Append(@"\ "); break;
                case < ' ' or > '~': builder.Append(@"\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }
}
