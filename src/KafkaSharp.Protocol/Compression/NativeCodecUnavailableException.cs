namespace KafkaSharp.Protocol.Compression;

/// <summary>A codec's native library (liblz4 or libzstd) could not be loaded on this machine.</summary>
public sealed class NativeCodecUnavailableException : Exception
{
    public NativeCodecUnavailableException(string message) : base(message) { }

    public NativeCodecUnavailableException(string message, Exception inner) : base(message, inner) { }

    public NativeCodecUnavailableException() { }
}
