using System.Text;
using KafkaSharp.ProtocolGen.Emit;
using KafkaSharp.ProtocolGen.Schema;

namespace KafkaSharp.ProtocolGen;

/// <summary>Turns a folder of Kafka message schemas into C# message classes, one file per schema.</summary>
public static class ProtocolGenerator
{
    /// <summary>
    /// Parses every *.json in <paramref name="schemaDir"/> and writes &lt;Name&gt;.g.cs files plus ApiKey.g.cs and
    /// ApiMessageTable.g.cs into <paramref name="outDir"/>. Stale *.g.cs files there are removed. The output
    /// depends only on the schemas: files are processed in ordinal order and written with LF line endings.
    /// </summary>
    public static IReadOnlyList<string> Run(string schemaDir, string outDir)
    {
        Dictionary<string, string> files = Generate(schemaDir);
        Directory.CreateDirectory(outDir);
        foreach (string stale in Directory.GetFiles(outDir, "*.g.cs"))
        {
            if (!files.ContainsKey(Path.GetFileName(stale)))
            {
                File.Delete(stale);
            }
        }

        UTF8Encoding utf8 = new(encoderShouldEmitUTF8Identifier: false);
        foreach ((string name, string text) in files)
        {
            string path = Path.Combine(outDir, name);
            if (!File.Exists(path) || File.ReadAllText(path, utf8) != text)
            {
                File.WriteAllText(path, text, utf8);
            }
        }

        return [.. files.Keys];
    }

    /// <summary>The generated files by name, without touching the disk beyond reading the schemas.</summary>
    public static Dictionary<string, string> Generate(string schemaDir)
    {
        List<MessageSpec> specs = ParseAll(schemaDir);
        SortedDictionary<string, string> files = new(StringComparer.Ordinal);
        foreach (MessageSpec spec in specs)
        {
            string name = spec.Name + ".g.cs";
            if (!files.TryAdd(name, MessageFileEmitter.Emit(new MessageModel(spec))))
            {
                throw new SchemaException($"{spec.FileName}: another schema also defines {spec.Name}.");
            }
        }

        List<ApiTableEmitter.Api> apis = ApiTableEmitter.CollectApis(specs);
        files.Add("ApiKey.g.cs", ApiTableEmitter.EmitApiKeyEnum(apis));
        files.Add("ApiMessageTable.g.cs", ApiTableEmitter.EmitTable(apis));
        return new Dictionary<string, string>(files, StringComparer.Ordinal);
    }

    /// <summary>Parses every schema file in the folder, in ordinal order of file name.</summary>
    public static List<MessageSpec> ParseAll(string schemaDir)
    {
        if (!Directory.Exists(schemaDir))
        {
            throw new DirectoryNotFoundException($"Schema folder {schemaDir} does not exist.");
        }

        string[] paths = Directory.GetFiles(schemaDir, "*.json");
        Array.Sort(paths, StringComparer.Ordinal);
        return [.. paths.Select(SchemaParser.ParseFile)];
    }
}
