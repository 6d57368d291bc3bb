using System.Diagnostics.CodeAnalysis;

namespace KafkaSharp.Protocol.Records;

/// <summary>Out-of-line throw helpers for record parsing.</summary>
internal static class RecordThrow
{
    [DoesNotReturn]
    public static void Corrupt(string message) => throw new CorruptRecordException(message);

    [DoesNotReturn]
    public static void Overrun(string what, long needed, long remaining) =>
        throw new CorruptRecordException($"{what} needs {needed} byte(s) but only {remaining} remain.");
}
