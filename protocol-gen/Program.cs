using KafkaSharp.ProtocolGen;
using KafkaSharp.ProtocolGen.Schema;

// Usage: protocol-gen [schemaDir outDir]. Without arguments the repository's own folders are used.
if (args.Length is not (0 or 2))
{
    Console.Error.WriteLine("usage: protocol-gen [<schema folder> <output folder>]");
    return 2;
}

string schemaDir;
string outDir;
if (args.Length == 2)
{
    schemaDir = args[0];
    outDir = args[1];
}
else
{
    string? root = RepositoryRoot.Find(Directory.GetCurrentDirectory()) ?? RepositoryRoot.Find(AppContext.BaseDirectory);
    if (root is null)
    {
        Console.Error.WriteLine("Cannot find the repository root (the folder holding KafkaSharp.sln); pass the folders explicitly.");
        return 2;
    }

    schemaDir = Path.Combine(root, "protocol-gen", "schemas");
    outDir = Path.Combine(root, "src", "KafkaSharp.Protocol", "Generated");
}

try
{
    IReadOnlyList<string> written = ProtocolGenerator.Run(schemaDir, outDir);
    Console.WriteLine($"Generated {written.Count} files from {schemaDir} into {outDir}.");
    return 0;
}
catch (SchemaException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
