using System.Net;
using KafkaSharp.Broker;
using KafkaSharp.Broker.Configuration;
using KafkaSharp.Broker.ZooKeeper;
using KafkaSharp.ZooKeeper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaSharp.Server;

/// <summary>
/// The server process: reads the configuration (exit code 1 naming the key when it is invalid), starts the broker,
/// listens with Kestrel's socket transport on every listener, and on SIGINT/SIGTERM (or <c>stopping</c>) stops
/// accepting, lets connections answer what they read, then flushes and checkpoints the logs and marks a clean
/// shutdown.
/// </summary>
public static partial class KafkaServer
{
    public const string LogLevelVariable = "KAFKASHARP_LOG_LEVEL";

    /// <summary>Room beyond one maximal frame for the start of the next one.</summary>
    private const long MaxReadSlack = 64 * 1024;

    public static async Task<int> RunAsync(string[] args, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!ServerArguments.TryParse(args, Environment.GetEnvironmentVariable(LogLevelVariable), out ServerArguments? parsed, out string? argumentError))
        {
            await Console.Error.WriteLineAsync(argumentError).ConfigureAwait(false);
            return 1;
        }

        BrokerConfig config;
        try
        {
            config = BrokerConfig.FromCommandLine(parsed.BrokerArguments);
        }
        catch (Exception e) when (e is ConfigException or PropertiesFormatException or IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        if (config.Listeners.FirstOrDefault(l => l.SecurityProtocol != SecurityProtocol.Plaintext) is { } unsupported)
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: listeners: {unsupported} uses {unsupported.SecurityProtocol}, which this server does not support yet.").ConfigureAwait(false);
            return 1;
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureLogging(builder.Logging, parsed.LogLevel);
        var listeners = new ListenerMap(config.Listeners);
        builder.Services.AddSingleton(listeners);
        var slot = new BrokerSlot();
        builder.Services.AddSingleton(slot);
        builder.WebHost.UseSockets(sockets =>
        {
            // Kestrel's socket transport pauses reading once this much is unconsumed (1 MiB by default), and the
            // broker consumes a request only when its whole frame is in, so allow the largest frame permitted.
            // A precaution: the 3 MiB-frame server test passes with or without it on .NET 10.
            sockets.MaxReadBufferSize = config.SocketRequestMaxBytes + MaxReadSlack;
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (ListenerEndpoint listener in config.Listeners)
            {
                Listen(kestrel, listener);
            }
        });

        await using WebApplication app = builder.Build();
        ILoggerFactory loggerFactory = app.Services.GetRequiredService<ILoggerFactory>();
        ILogger logger = loggerFactory.CreateLogger("KafkaSharp.Server");
        ZooKeeperBrokerHost? zookeeper = null;
        if (config.ZooKeeperConnect is { } connect)
        {
            (zookeeper, config) = await ConnectZooKeeperAsync(config, loggerFactory, logger, connect, stopping).ConfigureAwait(false);
            if (zookeeper is null)
            {
                return 1;
            }
        }

        await using ZooKeeperBrokerHost? zookeeperScope = zookeeper;
        ZooKeeperClusterMetadata? zkMetadata = zookeeper?.Metadata;
        KafkaBroker broker = slot.Broker = new KafkaBroker(config, loggerFactory, metadataFactory: zkMetadata is null ? null : (_, _) => zkMetadata);
        zookeeper?.AddHandlers(broker);
        try
        {
            broker.Start();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException)
        {
            StartFailed(logger, e);
            return 1;
        }

        Task? brokerStopped = null;
        IHostApplicationLifetime lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        BrokerConfig stoppingConfig = config;
        lifetime.ApplicationStopping.Register(() => brokerStopped = StopBrokerAsync(broker, zookeeper, stoppingConfig));
        try
        {
            await app.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            StartFailed(logger, e);
            await broker.StopAsync().ConfigureAwait(false);
            return 1;
        }

        if (zookeeper is not null)
        {
            try
            {
                await zookeeper.StartAsync(broker, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Asked to stop while starting: a normal shutdown, below.
            }
            catch (Exception e) when (e is InvalidOperationException or ZooKeeperException or OperationCanceledException)
            {
                StartFailed(logger, e);
                await broker.StopAsync().ConfigureAwait(false);
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                return 1;
            }
        }

        slot.MarkReady();
        foreach (ListenerEndpoint listener in config.Listeners)
        {
            string address = listener.ToString();
            Listening(logger, address);
        }

        await app.WaitForShutdownAsync(stopping).ConfigureAwait(false);
        await (brokerStopped ?? broker.StopAsync()).ConfigureAwait(false);
        await broker.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// ZooKeeper mode: connect (retrying for zookeeper.connection.timeout.ms, then giving up with one clear line and
    /// exit code 1 rather than a crash loop), settle the cluster id and broker id (a generated id becomes broker.id).
    /// </summary>
    private static async Task<(ZooKeeperBrokerHost? Host, BrokerConfig Config)> ConnectZooKeeperAsync(
        BrokerConfig config, ILoggerFactory loggerFactory, ILogger logger, string connect, CancellationToken stopping)
    {
        ZooKeeperBrokerHost host;
        try
        {
            host = await ZooKeeperBrokerHost.ConnectAsync(config, loggerFactory, null, stopping).ConfigureAwait(false);
        }
        catch (ZooKeeperException e)
        {
            ZooKeeperUnreachable(logger, connect, config.ZooKeeperConnectionTimeoutMs, e.Message);
            return (null, config);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException)
        {
            StartFailed(logger, e);
            return (null, config);
        }

        if (host.BrokerId != config.BrokerId)
        {
            config = config.WithGeneratedBrokerId(host.BrokerId);
        }

        return (host, config);
    }

    /// <summary>Controlled shutdown first (its leaderships move while it still serves), then the broker itself.</summary>
    private static async Task StopBrokerAsync(KafkaBroker broker, ZooKeeperBrokerHost? zookeeper, BrokerConfig config)
    {
        if (zookeeper is not null)
        {
            await zookeeper.ControlledShutdownAsync(config, CancellationToken.None).ConfigureAwait(false);
        }

        await broker.StopAsync().ConfigureAwait(false);
    }

    private static void Listen(KestrelServerOptions kestrel, ListenerEndpoint listener)
    {
        Action<ListenOptions> configure = options => options.UseConnectionHandler<KafkaConnectionHandler>();
        if (listener.Host is null)
        {
            kestrel.ListenAnyIP(listener.Port, configure);
        }
        else if (string.Equals(listener.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(listener.Port, configure);
        }
        else if (IPAddress.TryParse(listener.Host, out IPAddress? address))
        {
            kestrel.Listen(address, listener.Port, configure);
        }
        else
        {
            foreach (IPAddress resolved in Dns.GetHostAddresses(listener.Host))
            {
                kestrel.Listen(resolved, listener.Port, configure);
            }
        }
    }

    /// <summary>One line per event, no scopes; Microsoft.* (Kestrel, hosting) only from warnings up.</summary>
    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            options.UseUtcTimestamp = true;
        });
        logging.SetMinimumLevel(level);
        logging.AddFilter("Microsoft", level > LogLevel.Warning ? level : LogLevel.Warning);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Listening on {Listener}")]
    private static partial void Listening(ILogger logger, string listener);

    [LoggerMessage(EventId = 12, Level = LogLevel.Critical, Message = "ZooKeeper at {ConnectString} could not be reached within zookeeper.connection.timeout.ms={TimeoutMs}; giving up: {Reason}")]
    private static partial void ZooKeeperUnreachable(ILogger logger, string connectString, int timeoutMs, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Critical, Message = "The broker could not start")]
    private static partial void StartFailed(ILogger logger, Exception exception);
}
