using System.Buffers.Binary;

namespace KafkaSharp.Interop.Clients;

/// <summary>
/// Reads the partitions out of a consumer protocol assignment (what DescribeGroups returns per member):
/// <code>
/// version:int16  [topic:string(int16 len)  [partition:int32]]  user_data:bytes
/// </code>
/// </summary>
internal static class MemberAssignment
{
    public static IEnumerable<int> Partitions(byte[]? assignment)
    {
        if (assignment is null || assignment.Length < 6)
        {
            return [];
        }

        var partitions = new List<int>();
        ReadOnlySpan<byte> s = assignment;
        int pos = 2;
        int topics = BinaryPrimitives.ReadInt32BigEndian(s[pos..]);
        pos += 4;
        for (int t = 0; t < topics; t++)
        {
            pos += 2 + BinaryPrimitives.ReadInt16BigEndian(s[pos..]);
            int count = BinaryPrimitives.ReadInt32BigEndian(s[pos..]);
            pos += 4;
            for (int i = 0; i < count; i++, pos += 4)
            {
                partitions.Add(BinaryPrimitives.ReadInt32BigEndian(s[pos..]));
            }
        }

        partitions.Sort();
        return partitions;
    }
}
