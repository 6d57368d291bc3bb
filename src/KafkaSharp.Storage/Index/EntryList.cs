namespace KafkaSharp.Storage.Index;

/// <summary>
/// An append-only array of index entries with one writer and lock-free readers. The writer fills a slot, then
/// publishes the (possibly regrown) array, then the count; a reader reads the count first and the array second, so
/// the array it sees is always at least as long as the count it saw.
/// </summary>
internal sealed class EntryList<T> where T : struct
{
    private T[] _items;
    private int _count;

    public EntryList(int initialCapacity) => _items = new T[Math.Max(initialCapacity, 4)];

    public int Count => Volatile.Read(ref _count);

    /// <summary>A consistent view of the entries published so far.</summary>
    public ReadOnlySpan<T> Snapshot()
    {
        int count = Volatile.Read(ref _count);
        T[] items = Volatile.Read(ref _items);
        return items.AsSpan(0, count);
    }

    public void Add(T item)
    {
        T[] items = _items;
        if (_count == items.Length)
        {
            var grown = new T[items.Length * 2];
            items.AsSpan().CopyTo(grown);
            grown[_count] = item;
            Volatile.Write(ref _items, grown);
        }
        else
        {
            items[_count] = item;
        }

        Volatile.Write(ref _count, _count + 1);
    }

    public void Truncate(int count) => Volatile.Write(ref _count, Math.Min(count, _count));
}
