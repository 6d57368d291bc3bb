using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KafkaSharp.Storage.Cleaner;

/// <summary>
/// Key → latest offset over the dirty part of a log. Like Kafka's SkimpyOffsetMap it stores a 128-bit MD5 of the
/// key instead of the key, so memory does not depend on key sizes and no key bytes are copied.
/// </summary>
internal sealed class OffsetMap
{
    private readonly Dictionary<KeyHash, long> _latest = [];

    public int Count => _latest.Count;

    public void Put(ReadOnlySpan<byte> key, long offset) => _latest[Hash(key)] = offset;

    /// <summary>The latest offset of <paramref name="key"/>, or -1 when the dirty section never wrote it.</summary>
    public long Get(ReadOnlySpan<byte> key) => _latest.TryGetValue(Hash(key), out long offset) ? offset : -1;

    private static KeyHash Hash(ReadOnlySpan<byte> key)
    {
        Span<byte> digest = stackalloc byte[16];
#pragma warning disable CA5351 // a key fingerprint, not security: the same choice as Kafka's offset map
        MD5.HashData(key, digest);
#pragma warning restore CA5351
        return new KeyHash(BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]));
    }

    private readonly record struct KeyHash(ulong High, ulong Low);
}
