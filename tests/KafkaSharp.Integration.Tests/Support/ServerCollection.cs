namespace KafkaSharp.Integration.Tests.Support;

/// <summary>Test classes in this collection share one server (they use distinct topics).</summary>
[CollectionDefinition(nameof(ServerCollection))]
public sealed class ServerCollection : ICollectionFixture<ServerFixture>;
