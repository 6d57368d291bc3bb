namespace KafkaSharp.Broker.Handlers;

/// <summary>
/// Authorized-operation bit sets as Metadata and the Describe APIs report them (KIP-430): bit n is Kafka's
/// AclOperation code n. Without an authorizer every operation a resource supports is allowed.
/// </summary>
public static class AclOperations
{
    /// <summary>Returned when the client did not ask for the operations.</summary>
    public const int NotRequested = int.MinValue;

    private const int Read = 3, Write = 4, Create = 5, Delete = 6, Alter = 7, Describe = 8, ClusterAction = 9,
        DescribeConfigs = 10, AlterConfigs = 11, IdempotentWrite = 12;

    /// <summary>What ResourceType.TOPIC supports: READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS.</summary>
    public static int AllTopicOperations { get; } =
        Bits(Read, Write, Create, Delete, Alter, Describe, DescribeConfigs, AlterConfigs);

    /// <summary>What ResourceType.CLUSTER supports: CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER, DESCRIBE.</summary>
    public static int AllClusterOperations { get; } =
        Bits(Create, ClusterAction, DescribeConfigs, AlterConfigs, IdempotentWrite, Alter, Describe);

    /// <summary>What ResourceType.GROUP supports: READ, DESCRIBE, DELETE.</summary>
    public static int AllGroupOperations { get; } = Bits(Read, Describe, Delete);

    private static int Bits(params int[] operations) => operations.Aggregate(0, (bits, op) => bits | (1 << op));
}
