using KafkaSharp.ProtocolGen.Schema;
using Xunit.Abstractions;

namespace KafkaSharp.ProtocolGen.Tests;

/// <summary>Every message definition Kafka 3.9 publishes parses with our parser.</summary>
public sealed class ReferenceSchemaTests(ITestOutputHelper output)
{
    [Fact]
    public void ParseAllSucceedsWhenGivenKafkasPublishedDefinitions()
    {
        string? folder = ReferenceData.Folder;
        if (folder is null)
        {
            output.WriteLine("Reference data ../shared/kafka-protocol not found next to the repository; parsing test not run.");
            return;
        }

        string messagesFolder = Path.Combine(folder, "messages");
        List<MessageSpec> messages = ProtocolGenerator.ParseAll(messagesFolder);
        Assert.Equal(Directory.GetFiles(messagesFolder, "*.json").Length, messages.Count);
        Assert.True(messages.Count > 180, $"Only {messages.Count} definitions found in {messagesFolder}.");
        Assert.Contains(messages, m => m.Name == "ProduceRequest" && m.ApiKey == 0);

        string internalFolder = Path.Combine(folder, "internal");
        if (Directory.Exists(internalFolder))
        {
            Assert.NotEmpty(ProtocolGenerator.ParseAll(internalFolder));
        }
    }
}
