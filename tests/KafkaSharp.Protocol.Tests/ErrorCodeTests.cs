namespace KafkaSharp.Protocol.Tests;

public class ErrorCodeTests
{
    [Theory]
    [InlineData(ErrorCode.UnknownServerError, -1)]
    [InlineData(ErrorCode.None, 0)]
    [InlineData(ErrorCode.OffsetOutOfRange, 1)]
    [InlineData(ErrorCode.CorruptMessage, 2)]
    [InlineData(ErrorCode.UnknownTopicOrPartition, 3)]
    [InlineData(ErrorCode.NotLeaderOrFollower, 6)]
    [InlineData(ErrorCode.NotCoordinator, 16)]
    [InlineData(ErrorCode.UnsupportedVersion, 35)]
    [InlineData(ErrorCode.InvalidProducerEpoch, 47)]
    [InlineData(ErrorCode.UnknownProducerId, 59)]
    [InlineData(ErrorCode.MemberIdRequired, 79)]
    [InlineData(ErrorCode.UnknownTopicId, 100)]
    [InlineData(ErrorCode.FencedMemberEpoch, 110)]
    [InlineData(ErrorCode.TransactionAbortable, 120)]
    [InlineData(ErrorCode.PositionOutOfRange, 99)]
    [InlineData(ErrorCode.VoterNotFound, 127)]
    public void ValueMatchesKafkaWhenLookedUpByName(ErrorCode code, short expected) => Assert.Equal(expected, (short)code);

    [Fact]
    public void EnumCoversEveryCodeWhenCountingFromMinusOneTo127()
    {
        short[] values = Enum.GetValues<ErrorCode>().Select(c => (short)c).Order().ToArray();

        Assert.Equal(Enumerable.Range(-1, 129).Select(i => (short)i), values);
    }

    [Theory]
    [InlineData(ErrorCode.CorruptMessage)]
    [InlineData(ErrorCode.UnknownTopicOrPartition)]
    [InlineData(ErrorCode.LeaderNotAvailable)]
    [InlineData(ErrorCode.NotLeaderOrFollower)]
    [InlineData(ErrorCode.RequestTimedOut)]
    [InlineData(ErrorCode.ReplicaNotAvailable)]
    [InlineData(ErrorCode.NetworkException)]
    [InlineData(ErrorCode.CoordinatorLoadInProgress)]
    [InlineData(ErrorCode.CoordinatorNotAvailable)]
    [InlineData(ErrorCode.NotCoordinator)]
    [InlineData(ErrorCode.NotEnoughReplicas)]
    [InlineData(ErrorCode.NotEnoughReplicasAfterAppend)]
    [InlineData(ErrorCode.NotController)]
    [InlineData(ErrorCode.ConcurrentTransactions)]
    [InlineData(ErrorCode.KafkaStorageError)]
    [InlineData(ErrorCode.FencedLeaderEpoch)]
    [InlineData(ErrorCode.UnknownLeaderEpoch)]
    [InlineData(ErrorCode.OffsetNotAvailable)]
    [InlineData(ErrorCode.UnstableOffsetCommit)]
    [InlineData(ErrorCode.ThrottlingQuotaExceeded)]
    [InlineData(ErrorCode.UnknownTopicId)]
    public void IsRetriableReturnsTrueWhenKafkaMarksCodeRetriable(ErrorCode code) => Assert.True(code.IsRetriable());

    [Theory]
    [InlineData(ErrorCode.UnknownServerError)]
    [InlineData(ErrorCode.None)]
    [InlineData(ErrorCode.OffsetOutOfRange)]
    [InlineData(ErrorCode.MessageTooLarge)]
    [InlineData(ErrorCode.TopicAuthorizationFailed)]
    [InlineData(ErrorCode.UnsupportedVersion)]
    [InlineData(ErrorCode.InvalidProducerEpoch)]
    [InlineData(ErrorCode.OutOfOrderSequenceNumber)]
    [InlineData(ErrorCode.UnknownProducerId)]
    [InlineData(ErrorCode.RebalanceInProgress)]
    [InlineData(ErrorCode.InvalidRecord)]
    [InlineData(ErrorCode.VoterNotFound)]
    public void IsRetriableReturnsFalseWhenKafkaMarksCodeFatalOrNone(ErrorCode code) => Assert.False(code.IsRetriable());
}
