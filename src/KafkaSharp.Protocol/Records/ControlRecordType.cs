namespace KafkaSharp.Protocol.Records;

/// <summary>The type in a control record's key (KIP-98 transaction markers, later KRaft records).</summary>
public enum ControlRecordType : short
{
    Abort = 0,
    Commit = 1,
    LeaderChange = 2,
    SnapshotHeader = 3,
    SnapshotFooter = 4,
    KRaftVersion = 5,
    KRaftVoters = 6,
}
