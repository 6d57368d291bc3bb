namespace KafkaSharp.Broker.Configuration;

/// <summary>A <c>.properties</c> text cannot be read; <see cref="LineNumber"/> is 1-based.</summary>
public sealed class PropertiesFormatException : FormatException
{
    public PropertiesFormatException(int lineNumber, string problem)
        : base($"Line {lineNumber}: {problem}")
    {
        LineNumber = lineNumber;
        Problem = problem;
    }

    /// <summary>The same error, located in a file.</summary>
    public PropertiesFormatException(string filePath, int lineNumber, string problem)
        : base($"{filePath}, line {lineNumber}: {problem}")
    {
        LineNumber = lineNumber;
        Problem = problem;
    }

    public PropertiesFormatException()
        : this(0, "Invalid properties text.")
    {
    }

    public PropertiesFormatException(string message)
        : base(message)
    {
    }

    public PropertiesFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int LineNumber { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; } = string.Empty;
}
