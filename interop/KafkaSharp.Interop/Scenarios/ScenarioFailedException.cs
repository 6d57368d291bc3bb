namespace KafkaSharp.Interop.Scenarios;

/// <summary>An assertion a scenario made did not hold; the message says what differed.</summary>
public sealed class ScenarioFailedException(string message) : Exception(message);
