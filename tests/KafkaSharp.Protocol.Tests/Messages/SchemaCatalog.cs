using KafkaSharp.ProtocolGen;
using KafkaSharp.ProtocolGen.Schema;
using KafkaSharp.Protocol.Messages;

namespace KafkaSharp.Protocol.Tests.Messages;

/// <summary>
/// The repository's schemas (protocol-gen/schemas) paired with the generated classes, so tests know which
/// fields exist and are nullable in each version. The schemas live in the repository, so this never skips.
/// </summary>
internal static class SchemaCatalog
{
    private static readonly Lazy<Dictionary<string, MessageSpec>> s_specs = new(Load);

    public static string RepositoryRoot =>
        KafkaSharp.ProtocolGen.RepositoryRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Cannot find the folder holding KafkaSharp.sln above the test binaries.");

    public static IReadOnlyDictionary<string, MessageSpec> Specs => s_specs.Value;

    /// <summary>Every generated message class, by schema name.</summary>
    public static IEnumerable<string> MessageNames => Specs.Keys.Order(StringComparer.Ordinal);

    public static Type MessageType(string name) =>
        typeof(IKafkaMessage).Assembly.GetType($"KafkaSharp.Protocol.Messages.{name}")
        ?? throw new InvalidOperationException($"No generated class for schema {name}.");

    public static IKafkaMessage Create(string name) => (IKafkaMessage)Activator.CreateInstance(MessageType(name))!;

    private static Dictionary<string, MessageSpec> Load()
    {
        string schemaDir = Path.Combine(RepositoryRoot, "protocol-gen", "schemas");
        return ProtocolGenerator.ParseAll(schemaDir).ToDictionary(s => s.Name, StringComparer.Ordinal);
    }
}
