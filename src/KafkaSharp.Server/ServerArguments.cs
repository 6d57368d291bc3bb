using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Server;

/// <summary>The command line minus this server's own option, <c>--log-level</c>, which is not a Kafka config.</summary>
internal sealed record ServerArguments(IReadOnlyList<string> BrokerArguments, LogLevel LogLevel)
{
    /// <param name="environmentLevel">KAFKASHARP_LOG_LEVEL, used when the command line has no --log-level.</param>
    public static bool TryParse(string[] args, string? environmentLevel, [NotNullWhen(true)] out ServerArguments? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        error = null;
        var rest = new List<string>(args.Length);
        string? levelText = environmentLevel;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--log-level")
            {
                if (i + 1 >= args.Length)
                {
                    error = "--log-level needs a value: Trace, Debug, Information, Warning, Error or Critical.";
                    return false;
                }

                levelText = args[++i];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        LogLevel level = LogLevel.Information;
        if (!string.IsNullOrEmpty(levelText) && !TryParseLevel(levelText, out level))
        {
            error = $"Unknown log level '{levelText}': use Trace, Debug, Information, Warning, Error or Critical.";
            return false;
        }

        parsed = new ServerArguments(rest, level);
        return true;
    }

    /// <summary>.NET's names, plus log4j's (INFO, WARN, ...) since Kafka users type those.</summary>
    private static bool TryParseLevel(string text, out LogLevel level)
    {
        switch (text.ToUpperInvariant())
        {
            case "INFO":
                level = LogLevel.Information;
                return true;
            case "WARN":
                level = LogLevel.Warning;
                return true;
            case "FATAL":
                level = LogLevel.Critical;
                return true;
            case "OFF":
                level = LogLevel.None;
                return true;
        }

        return Enum.TryParse(text, ignoreCase: true, out level) && Enum.IsDefined(level);
    }
}
