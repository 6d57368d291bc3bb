using KafkaSharp.Broker.Configuration;
using static KafkaSharp.Broker.Tests.Configuration.ConfigTestData;

namespace KafkaSharp.Broker.Tests.Configuration;

/// <summary>listeners, advertised.listeners and listener.security.protocol.map as BrokerConfig reads them.</summary>
public class ListenerConfigTests
{
    [Fact]
    public void ListenersHaveNullHostWhenHostIsEmpty()
    {
        var listener = Assert.Single(FromLines("listeners=PLAINTEXT://:9092").Listeners);

        Assert.Null(listener.Host);
        Assert.True(listener.IsAllInterfaces);
        Assert.Equal(9092, listener.Port);
        Assert.Equal("PLAINTEXT://:9092", listener.ToString());
    }

    [Fact]
    public void ListenersReadIpv6HostWhenBracketed()
    {
        var listener = Assert.Single(FromLines("listeners=PLAINTEXT://[::1]:9092").Listeners);

        Assert.Equal("::1", listener.Host);
        Assert.Equal("PLAINTEXT://[::1]:9092", listener.ToString());
    }

    [Fact]
    public void ListenersReadEveryEntryWhenSeveralAreListed()
    {
        var config = FromLines(
            "listeners=PLAINTEXT://localhost:9092 , ssl://10.0.0.5:9093,SASL_SSL://broker1.example.com:9094",
            "inter.broker.listener.name=PLAINTEXT");

        Assert.Equal(
            [
                new ListenerEndpoint("PLAINTEXT", "localhost", 9092, SecurityProtocol.Plaintext),
                new ListenerEndpoint("SSL", "10.0.0.5", 9093, SecurityProtocol.Ssl),
                new ListenerEndpoint("SASL_SSL", "broker1.example.com", 9094, SecurityProtocol.SaslSsl),
            ],
            config.Listeners);
    }

    [Fact]
    public void ListenersUseProtocolMapWhenNamesAreCustom()
    {
        var config = FromLines(
            "listeners=INTERNAL://:9092,EXTERNAL://:9093",
            "advertised.listeners=INTERNAL://kafka-0.internal:9092,EXTERNAL://kafka.example.com:443",
            "listener.security.protocol.map=INTERNAL:PLAINTEXT,EXTERNAL:SASL_SSL",
            "inter.broker.listener.name=INTERNAL");

        Assert.Equal(SecurityProtocol.SaslSsl, config.Listeners[1].SecurityProtocol);
        Assert.Equal("kafka.example.com", config.AdvertisedListeners[1].Host);
        Assert.Equal(443, config.AdvertisedListeners[1].Port);
        Assert.Equal("INTERNAL", config.InterBrokerListenerName);
    }

    [Fact]
    public void ListenersAllowSamePortWhenOneIsIpv4AndOtherIpv6()
    {
        var config = FromLines(
            "listeners=PLAINTEXT://127.0.0.1:9092,OTHER://[::1]:9092",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,OTHER:PLAINTEXT");

        Assert.Equal(2, config.Listeners.Count);
    }

    [Theory]
    [InlineData("listeners=PLAINTEXT://:9092,PLAINTEXT://:9093", "listeners", "different name")]
    [InlineData("listeners=PLAINTEXT://:9092,SSL://:9092", "listeners", "different port")]
    [InlineData("listeners=PLAINTEXT:/localhost:9092", "listeners", "unable to parse")]
    [InlineData("listeners=PLAINTEXT://localhost", "listeners", "unable to parse")]
    [InlineData("listeners=PLAINTEXT://localhost:99999", "listeners", "65535")]
    [InlineData("listeners=PLAINTEXT://local host:9092", "listeners", "unable to parse")]
    [InlineData("listeners=CLIENT://:9092", "listeners", "no security protocol defined for listener CLIENT")]
    [InlineData("listener.security.protocol.map=PLAINTEXT:PLAIN", "listener.security.protocol.map", "invalid security protocol 'PLAIN'")]
    [InlineData("listener.security.protocol.map=PLAINTEXT", "listener.security.protocol.map", "LISTENER_NAME:SECURITY_PROTOCOL")]
    [InlineData("advertised.listeners=PLAINTEXT://0.0.0.0:9092", "advertised.listeners", "0.0.0.0")]
    public void CreateThrowsNamingKeyWhenListenerSettingIsInvalid(string line, string key, string reason)
    {
        var error = Assert.Throws<ConfigException>(() => FromLines(line));

        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateThrowsWhenWildcardListenerWouldBeAdvertised()
    {
        var error = Assert.Throws<ConfigException>(() => FromLines("listeners=PLAINTEXT://0.0.0.0:9092"));

        Assert.Equal("listeners", error.Key);
    }

    [Fact]
    public void CreateAcceptsWildcardListenerWhenAdvertisedListenersAreSet()
    {
        var config = FromLines("listeners=PLAINTEXT://0.0.0.0:9092", "advertised.listeners=PLAINTEXT://kafka.example.com:9092");

        Assert.Equal("0.0.0.0", Assert.Single(config.Listeners).Host);
        Assert.Equal("kafka.example.com", Assert.Single(config.AdvertisedListeners).Host);
    }

    [Fact]
    public void CreateThrowsWhenInterBrokerListenerIsNotAdvertised()
    {
        var error = Assert.Throws<ConfigException>(() => FromLines("listeners=SSL://:9093"));

        Assert.Equal("inter.broker.listener.name", error.Key);
    }

    [Fact]
    public void CreateAcceptsSslOnlyListenersWhenInterBrokerProtocolMatches()
    {
        var config = FromLines("listeners=SSL://:9093", "security.inter.broker.protocol=SSL");

        Assert.Equal("SSL", config.InterBrokerListenerName);
    }

    [Fact]
    public void CreateThrowsWhenBothInterBrokerSettingsAreSet()
    {
        var error = Assert.Throws<ConfigException>(() =>
            FromLines("inter.broker.listener.name=PLAINTEXT", "security.inter.broker.protocol=PLAINTEXT"));

        Assert.Contains("Only one of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenerSecurityProtocolMapHasKafkaDefaultWhenUnset()
    {
        var map = FromLines().ListenerSecurityProtocolMap;

        Assert.Equal(
            new Dictionary<string, SecurityProtocol>
            {
                ["PLAINTEXT"] = SecurityProtocol.Plaintext,
                ["SSL"] = SecurityProtocol.Ssl,
                ["SASL_PLAINTEXT"] = SecurityProtocol.SaslPlaintext,
                ["SASL_SSL"] = SecurityProtocol.SaslSsl,
            },
            map);
    }

    [Fact]
    public void AdvertisedListenersDefaultToListenersWhenUnset()
    {
        var config = FromLines("listeners=PLAINTEXT://myhost:9092");

        Assert.Equal(config.Listeners, config.AdvertisedListeners);
    }

    [Fact]
    public void AdvertisedListenersMayShareAPortWhenAdvertisingOtherListeners()
    {
        var config = FromLines(
            "listeners=PLAINTEXT://:9092,SSL://:9093",
            "advertised.listeners=PLAINTEXT://lb.example.com:9000,SSL://lb.example.com:9000");

        Assert.All(config.AdvertisedListeners, listener => Assert.Equal(9000, listener.Port));
    }
}
