namespace KafkaSharp.ZooKeeper.Tests.Client;

public sealed class ZooKeeperConnectionStringTests
{
    [Fact]
    public void ParseSplitsHostsAndChrootWhenBothPresent()
    {
        var parsed = ZooKeeperConnectionString.Parse("host1:2181,host2:2182/kafka");

        Assert.Equal([new ZooKeeperHost("host1", 2181), new ZooKeeperHost("host2", 2182)], parsed.Hosts);
        Assert.Equal("/kafka", parsed.Chroot);
    }

    [Fact]
    public void ParseUsesDefaultPortAndNoChrootWhenOmitted()
    {
        var parsed = ZooKeeperConnectionString.Parse("zk");

        Assert.Equal([new ZooKeeperHost("zk", 2181)], parsed.Hosts);
        Assert.Null(parsed.Chroot);
    }

    [Fact]
    public void ParseReturnsNoChrootWhenChrootIsLoneSlash()
    {
        Assert.Null(ZooKeeperConnectionString.Parse("zk:1/").Chroot);
    }

    [Fact]
    public void ParseReadsBracketedIpv6Hosts()
    {
        var parsed = ZooKeeperConnectionString.Parse("[::1]:2181,[fe80::1]/a/b");

        Assert.Equal([new ZooKeeperHost("::1", 2181), new ZooKeeperHost("fe80::1", 2181)], parsed.Hosts);
        Assert.Equal("/a/b", parsed.Chroot);
        Assert.Equal("[::1]:2181", parsed.Hosts[0].ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/kafka")]
    [InlineData("zk:notaport")]
    [InlineData("zk:70000")]
    [InlineData("zk:2181/kafka/")]
    [InlineData("[::1:2181")]
    public void ParseThrowsArgumentExceptionWhenMalformed(string connectString)
    {
        Assert.ThrowsAny<ArgumentException>(() => ZooKeeperConnectionString.Parse(connectString));
    }
}
