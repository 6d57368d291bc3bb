namespace KafkaSharp.Broker.Configuration;

/// <summary>Kafka's "non-empty string", "non-null string" and "non-empty list" rules.</summary>
internal sealed class NonEmptyValidator(NonEmptyValidator.Kind kind) : ConfigValidator
{
    public enum Kind
    {
        /// <summary>Null is allowed (no value), the empty string is not.</summary>
        NonEmptyString,
        NonNullString,
        NonEmptyList,
    }

    public override string? Check(object? value) => kind switch
    {
        Kind.NonEmptyString => value is string { Length: 0 } ? "must be a non-empty string" : null,
        Kind.NonNullString => value is null ? "must not be null" : null,
        _ => value is IReadOnlyCollection<string> { Count: 0 } ? "must be a non-empty list" : null,
    };

    public override string ToString() => kind switch
    {
        Kind.NonEmptyString => "non-empty string",
        Kind.NonNullString => "non-null string",
        _ => "non-empty list",
    };
}
