using System.Text;

namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// Splits properties text into logical lines as java.util.Properties does: skips blank and comment lines,
/// drops leading whitespace, and joins lines that end in an odd number of backslashes.
/// Escapes other than the line-joining backslash are left for the caller to decode.
/// </summary>
internal sealed class PropertiesLineReader
{
    private readonly string _text;
    private int _position;
    private int _lineNumber;

    public PropertiesLineReader(string text)
    {
        _text = text;
    }

    /// <summary>Reads the next key/value line; <paramref name="lineNumber"/> is where it starts (1-based).</summary>
    public bool TryReadLogicalLine(out string line, out int lineNumber)
    {
        while (TryReadNaturalLine(out var natural))
        {
            var content = natural.AsSpan().TrimStart(" \t\f");
            if (content.IsEmpty || content[0] is '#' or '!')
            {
                continue;
            }

            lineNumber = _lineNumber;
            var builder = new StringBuilder();
            while (true)
            {
                if (!EndsWithJoiningBackslash(content))
                {
                    builder.Append(content);
                    break;
                }

                builder.Append(content[..^1]);

                // A continuation line is never a comment, even if it starts with '#'.
                if (!TryReadNaturalLine(out natural))
                {
                    break;
                }

                content = natural.AsSpan().TrimStart(" \t\f");
            }

            line = builder.ToString();
            return true;
        }

        line = string.Empty;
        lineNumber = _lineNumber;
        return false;
    }

    private static bool EndsWithJoiningBackslash(ReadOnlySpan<char> content)
    {
        var count = 0;
        for (var i = content.Length - 1; i >= 0 && content[i] == '\\'; i--)
        {
            count++;
        }

        return count % 2 == 1;
    }

    private bool TryReadNaturalLine(out string natural)
    {
        if (_position >= _text.Length)
        {
            natural = string.Empty;
            return false;
        }

        var start = _position;
        var end = _text.IndexOfAny(['\r', '\n'], start);
        if (end < 0)
        {
            end = _text.Length;
            _position = end;
        }
        else
        {
            _position = end + 1;
            if (_text[end] == '\r' && _position < _text.Length && _text[_position] == '\n')
            {
                _position++;
            }
        }

        _lineNumber++;
        natural = _text[start..end];
        return true;
    }
}
