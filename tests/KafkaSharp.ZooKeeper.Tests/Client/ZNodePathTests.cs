namespace KafkaSharp.ZooKeeper.Tests.Client;

public sealed class ZNodePathTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/a")]
    [InlineData("/a/b.c/d-e")]
    [InlineData("/brokers/ids/0")]
    public void ValidateAcceptsPathWhenWellFormed(string path) => ZNodePath.Validate(path);

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("/a/")]
    [InlineData("//a")]
    [InlineData("/a//b")]
    [InlineData("/a/./b")]
    [InlineData("/a/..")]
    [InlineData("/a\0b")]
    public void ValidateThrowsWhenPathIsMalformed(string path)
    {
        Assert.Throws<ArgumentException>(() => ZNodePath.Validate(path));
    }

    [Fact]
    public void ValidateAcceptsTrailingSlashWhenSequential()
    {
        ZNodePath.Validate("/queue/", sequential: true);
    }

    [Theory]
    [InlineData(null, "/a", "/a")]
    [InlineData("/kafka", "/", "/kafka")]
    [InlineData("/kafka", "/brokers/ids", "/kafka/brokers/ids")]
    public void ToServerPrependsChrootWhenChrootIsSet(string? chroot, string clientPath, string serverPath)
    {
        Assert.Equal(serverPath, ZNodePath.ToServer(chroot, clientPath));
    }

    [Theory]
    [InlineData(null, "/a", "/a")]
    [InlineData("/kafka", "/kafka", "/")]
    [InlineData("/kafka", "/kafka/brokers", "/brokers")]
    [InlineData("/kafka", "/kafkaesque", "/kafkaesque")]
    public void ToClientStripsChrootOnlyWhenPathIsUnderChrootSegment(string? chroot, string serverPath, string clientPath)
    {
        Assert.Equal(clientPath, ZNodePath.ToClient(chroot, serverPath));
    }
}
