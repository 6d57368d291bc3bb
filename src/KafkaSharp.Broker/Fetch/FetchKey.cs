namespace KafkaSharp.Broker.Fetch;

/// <summary>
/// A partition as the fetch request names it: by topic name before v13, by topic id from v13 (the other part is
/// empty). Sessions key their partitions this way, so forgotten topics match what the client added.
/// </summary>
public readonly record struct FetchKey(Guid TopicId, string Topic, int Partition);
