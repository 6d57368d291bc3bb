using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen.Tests;

/// <summary>Lists the wire-relevant differences between two parsings of the same message definition.</summary>
internal static class SchemaDiff
{
    public static List<string> Compare(MessageSpec ours, MessageSpec reference)
    {
        List<string> differences = [];
        string file = ours.FileName;
        void Check<T>(string what, T mine, T theirs)
        {
            if (!EqualityComparer<T>.Default.Equals(mine, theirs))
            {
                differences.Add($"{file}: {what}: ours {Show(mine)}, reference {Show(theirs)}");
            }
        }

        Check("name", ours.Name, reference.Name);
        Check("type", ours.Type, reference.Type);
        Check("apiKey", ours.ApiKey, reference.ApiKey);
        Check("validVersions", ours.ValidVersions, reference.ValidVersions);
        Check("flexibleVersions", ours.FlexibleVersions, reference.FlexibleVersions);
        Check("latestVersionUnstable", ours.LatestVersionUnstable, reference.LatestVersionUnstable);
        CompareFields(file, ours.Name, ours.Fields, reference.Fields, differences);

        Dictionary<string, StructSpec> theirStructs = reference.CommonStructs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (StructSpec mine in ours.CommonStructs)
        {
            if (theirStructs.Remove(mine.Name, out StructSpec? theirs))
            {
                CompareFields(file, mine.Name, mine.Fields, theirs.Fields, differences);
            }
            else
            {
                differences.Add($"{file}: commonStruct {mine.Name}: not in the reference");
            }
        }

        differences.AddRange(theirStructs.Keys.Select(name => $"{file}: commonStruct {name}: missing from ours"));
        return differences;
    }

    private static void CompareFields(string file, string path, IReadOnlyList<FieldSpec> ours, IReadOnlyList<FieldSpec> reference, List<string> differences)
    {
        Dictionary<string, FieldSpec> theirs = reference.ToDictionary(f => f.Name, StringComparer.Ordinal);
        List<string> ourOrder = [.. ours.Select(f => f.Name).Where(theirs.ContainsKey)];
        List<string> theirOrder = [.. reference.Select(f => f.Name).Where(n => ours.Any(f => f.Name == n))];
        if (!ourOrder.SequenceEqual(theirOrder))
        {
            differences.Add($"{file}: {path}: field order differs: ours {string.Join(",", ourOrder)}, reference {string.Join(",", theirOrder)}");
        }

        foreach (FieldSpec mine in ours)
        {
            string where = $"{path}.{mine.Name}";
            if (!theirs.Remove(mine.Name, out FieldSpec? other))
            {
                differences.Add($"{file}: {where}: not in the reference");
                continue;
            }

            void Check<T>(string what, T a, T b)
            {
                if (!EqualityComparer<T>.Default.Equals(a, b))
                {
                    differences.Add($"{file}: {where}: {what}: ours {Show(a)}, reference {Show(b)}");
                }
            }

            Check("type", mine.TypeText, other.TypeText);
            Check("versions", mine.Versions, other.Versions);
            Check("nullableVersions", mine.NullableVersions, other.NullableVersions);
            Check("taggedVersions", mine.TaggedVersions, other.TaggedVersions);
            Check("tag", mine.Tag, other.Tag);
            Check("default", mine.Default, other.Default);
            Check("flexibleVersions", mine.FlexibleVersions, other.FlexibleVersions);
            Check("ignorable", mine.Ignorable, other.Ignorable);
            CompareFields(file, where, mine.Fields ?? [], other.Fields ?? [], differences);
        }

        differences.AddRange(theirs.Keys.Select(name => $"{file}: {path}.{name}: missing from ours"));
    }

    private static string Show<T>(T value) => value?.ToString() ?? "(none)";
}
