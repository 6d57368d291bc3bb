namespace KafkaSharp.Broker.Configuration;

/// <summary>
/// The server's arguments, as Kafka's kafka-server-start.sh takes them: an optional properties file first, then
/// any number of <c>--override key=value</c> (or <c>--override=key=value</c>). Unlike Kafka, the file may be
/// omitted: the broker then runs with its embedded defaults.
/// </summary>
public sealed record ServerCommandLine(string? PropertiesFile, IReadOnlyDictionary<string, string> Overrides)
{
    private const string OverrideOption = "--override";

    /// <summary>Throws <see cref="ArgumentException"/> with a usage hint for anything Kafka's start script would refuse.</summary>
    public static ServerCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var index = 0;
        string? file = null;
        if (args.Count > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            file = args[0];
            index = 1;
        }

        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        while (index < args.Count)
        {
            var arg = args[index++];
            string pair;
            if (arg == OverrideOption)
            {
                if (index >= args.Count)
                {
                    throw Usage("Option --override requires a key=value argument.");
                }

                pair = args[index++];
            }
            else if (arg.StartsWith(OverrideOption + "=", StringComparison.Ordinal))
            {
                pair = arg[(OverrideOption.Length + 1)..];
            }
            else
            {
                throw Usage(arg.StartsWith('-') ? $"Unknown option '{arg}'." : $"Found non argument parameters: {arg}");
            }

            var (key, value) = SplitPair(pair);
            overrides[key] = value;
        }

        return new ServerCommandLine(file, overrides);
    }

    private static (string Key, string Value) SplitPair(string pair)
    {
        // Like Kafka, split at the first '='; the value may contain more of them.
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw Usage($"Invalid override '{pair}': expected key=value (missing '=').");
        }

        if (equals == 0)
        {
            throw Usage($"Invalid override '{pair}': the key is empty.");
        }

        return (pair[..equals], pair[(equals + 1)..]);
    }

    private static ArgumentException Usage(string problem) =>
        new($"{problem} USAGE: [server.properties] [--override property=value]*");
}
