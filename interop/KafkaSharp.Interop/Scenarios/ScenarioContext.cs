using System.Text.Json.Nodes;
using KafkaSharp.Interop.Clients;

namespace KafkaSharp.Interop.Scenarios;

/// <summary>
/// What a scenario run gets: the client under test, a reference client (Confluent.Kafka) for setup and checks, the
/// topics it creates (deleted afterwards), and <see cref="Observation"/> — the facts it saw, compared between
/// clusters in differential mode.
/// </summary>
public sealed class ScenarioContext(IInteropClient client, IInteropClient reference, string runId, CancellationToken cancellation)
{
    private readonly List<string> _topics = [];

    public IInteropClient Client { get; } = client;

    public IInteropClient Reference { get; } = reference;

    public CancellationToken Cancellation { get; } = cancellation;

    public JsonObject Observation { get; } = [];

    /// <summary>Said next to the verdict: e.g. a step done by the reference client because this one lacks it.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Runs a step through the client under test, or through the reference when the client cannot (noted).</summary>
    public async Task<JsonObject> StepOrReferenceAsync(string step, JsonObject arguments)
    {
        try
        {
            return await Client.StepAsync(step, arguments, Cancellation);
        }
        catch (StepUnsupportedException e)
        {
            Notes.Add($"{step} through the reference client: {e.Message}");
            return await Reference.StepAsync(step, arguments, Cancellation);
        }
    }

    public IReadOnlyList<string> Topics => _topics;

    /// <summary>A name unique to this run, scenario and client, so runs against a shared cluster never collide.</summary>
    public string Name(string purpose) => $"interop-{purpose}-{Client.Name.ToLowerInvariant().Replace('.', '-')}-{runId}";

    public string TrackTopic(string topic)
    {
        _topics.Add(topic);
        return topic;
    }

    /// <summary>Creates a topic through the reference client and remembers it for cleanup.</summary>
    public async Task<string> CreateTopicAsync(string purpose, int partitions, JsonObject? configs = null)
    {
        string topic = TrackTopic(Name(purpose));
        await Reference.StepAsync("create_topic", new JsonObject { ["topic"] = topic, ["partitions"] = partitions, ["configs"] = configs ?? [] }, Cancellation);
        return topic;
    }

    public Task<JsonObject> StepAsync(string step, JsonObject arguments) => Client.StepAsync(step, arguments, Cancellation);

    public static void Check(bool condition, string whatDiffered)
    {
        if (!condition)
        {
            throw new ScenarioFailedException(whatDiffered);
        }
    }

    public static void Equal<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new ScenarioFailedException($"{what}: expected {expected}, got {actual}");
        }
    }

    /// <summary>Retries <paramref name="probe"/> until it holds (metadata and group state settle asynchronously).</summary>
    public async Task EventuallyAsync(Func<Task<bool>> probe, TimeSpan within, string what)
    {
        DateTime deadline = DateTime.UtcNow + within;
        while (!await probe())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ScenarioFailedException($"{what} did not happen within {within.TotalSeconds:0} s");
            }

            await Task.Delay(250, Cancellation);
        }
    }
}
