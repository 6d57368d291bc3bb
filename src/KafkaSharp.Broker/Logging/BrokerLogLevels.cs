using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Broker.Logging;

/// <summary>
/// Runtime log levels per logger, as Kafka's BROKER_LOGGER resource exposes them (KIP-412): a logger is a logging
/// category of this broker, "root" stands above them all, and a level set on a logger applies to the categories below
/// it (by dotted prefix) that have no level of their own. Levels are not stored: like Kafka's, they last until restart.
/// The host's own filters still apply, so a level can quieten a logger but not show what the host never logs.
/// </summary>
public sealed class BrokerLogLevels : ILoggerFactory
{
    public const string RootLogger = "root";

    /// <summary>Kafka's LogLevelConfig.VALID_LOG_LEVELS.</summary>
    public static IReadOnlyList<string> ValidLevels { get; } = ["FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"];

    private readonly ILoggerFactory _inner;
    private readonly ConcurrentDictionary<string, byte> _loggers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LogLevel> _levels = new(StringComparer.Ordinal);
    private readonly LogLevel _hostLevel;

    public BrokerLogLevels(ILoggerFactory inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        ILogger probe = inner.CreateLogger(typeof(BrokerLogLevels).Namespace!);
        _hostLevel = Enum.GetValues<LogLevel>().FirstOrDefault(level => level != LogLevel.None && probe.IsEnabled(level), LogLevel.None);
    }

    /// <summary>Every logger (and every ancestor given a level) with its effective level in Kafka's names, "root" first.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Loggers =>
    [
        KeyValuePair.Create(RootLogger, Name(EffectiveLevel(RootLogger) ?? _hostLevel)),
        .. _loggers.Keys.Concat(_levels.Keys).Where(name => name != RootLogger).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(name => KeyValuePair.Create(name, Name(EffectiveLevel(name) ?? _hostLevel))),
    ];

    /// <summary>
    /// Root, a category the broker logs under, or a dotted ancestor of one ("KafkaSharp.Broker" covers all the
    /// broker's loggers), which is how a level is set for a whole area.
    /// </summary>
    public bool Exists(string name) =>
        name == RootLogger || _loggers.Keys.Any(category => category == name || category.StartsWith(name + ".", StringComparison.Ordinal));

    /// <summary>Sets a logger's level; <paramref name="level"/> must be one of <see cref="ValidLevels"/>.</summary>
    public void Set(string name, string level) => _levels[name] = Parse(level);

    /// <summary>Removes a logger's own level, so it follows its parent again.</summary>
    public void Unset(string name) => _levels.TryRemove(name, out _);

    public ILogger CreateLogger(string categoryName)
    {
        _loggers.TryAdd(categoryName, 0);
        return new LevelledLogger(_inner.CreateLogger(categoryName), categoryName, this);
    }

    public void AddProvider(ILoggerProvider provider) => _inner.AddProvider(provider);

    /// <summary>The inner factory belongs to the host, which disposes it.</summary>
    public void Dispose()
    {
    }

    private bool Allows(string category, LogLevel level) =>
        _levels.IsEmpty || EffectiveLevel(category) is not { } set || level >= set;

    /// <summary>The level set on the logger or its nearest dotted ancestor, then root; null when none is set.</summary>
    private LogLevel? EffectiveLevel(string category)
    {
        for (string? name = category; name is not null; name = Parent(name))
        {
            if (_levels.TryGetValue(name, out LogLevel level))
            {
                return level;
            }
        }

        return _levels.TryGetValue(RootLogger, out LogLevel root) ? root : null;
    }

    private static string? Parent(string name)
    {
        int dot = name.LastIndexOf('.');
        return dot > 0 ? name[..dot] : null;
    }

    private static LogLevel Parse(string level) => level switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" => LogLevel.Information,
        "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" => LogLevel.Critical,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Not a log4j level."),
    };

    private static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "OFF",
    };

    private sealed class LevelledLogger(ILogger inner, string category, BrokerLogLevels levels) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => levels.Allows(category, logLevel) && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (levels.Allows(category, logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
