namespace KafkaSharp.Broker.Configuration;

/// <summary>Kafka's "non-empty string" and "non-null string" rules.</summary>
internal sealed class NonEmptyValidator(NonEmptyValidator.Kind kind) : ConfigValidator
{
    public enum Kind
    {
        /// <summary>Null is allowed (no value), the empty string is not.</summary>
        NonEmptyString,
        NonNullString,
    }

    public override string? Check(object? value) => kind switch
    {
        Kind.NonEmptyString => value is string { Length: 0 } ? "must be a non-empty string" : null,
        _ => value is null ? "must not be null" : null,
    };

    public override string ToString() => kind switch
    {
        Kind.NonEmptyString => "non-empty string",
        _ => "non-null string",
    };
}
