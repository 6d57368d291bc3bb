using System.Text.Json.Nodes;
using KafkaSharp.Interop.Clients;

namespace KafkaSharp.Interop.Scenarios;

/// <summary>
/// Every client produces the canonical records to a topic of its own; every client then reads every producer's
/// topic, and keys, values and headers must match byte for byte (timestamps too where the producer set them).
/// </summary>
public static class MixedClients
{
    public sealed record Cell(string Producer, string Consumer, Results.Verdict Verdict, string Detail);

    public static async Task<IReadOnlyList<Cell>> RunAsync(IReadOnlyList<IInteropClient> clients, IInteropClient reference, string runId,
        int parallelism, CancellationToken cancellation)
    {
        const long baseTimestamp = 1_700_000_000_000;
        Rec[] records = Rec.Canonical(0, baseTimestamp);
        var produced = new Dictionary<string, (string Topic, Steps.Produced? Result, string? Error, bool Unsupported)>();
        using var gate = new SemaphoreSlim(parallelism);

        async Task Produce(IInteropClient producer)
        {
            string topic = $"interop-mixed-{producer.Name.ToLowerInvariant().Replace('.', '-')}-{runId}";
            await gate.WaitAsync(cancellation);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(TimeSpan.FromSeconds(60));
                await reference.StepAsync("create_topic", new JsonObject { ["topic"] = topic, ["partitions"] = 1 }, timeout.Token);
                Steps.Produced result = await producer.ProduceAsync(topic, records, timeout.Token);
                lock (produced)
                {
                    produced[producer.Name] = (topic, result, null, false);
                }
            }
            catch (Exception e)
            {
                lock (produced)
                {
                    produced[producer.Name] = (topic, null, e.Message, e is StepUnsupportedException);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        await Task.WhenAll(clients.Select(Produce));

        var cells = new List<Cell>();
        async Task Consume(IInteropClient producer, IInteropClient consumer)
        {
            (string topic, Steps.Produced? result, string? error, bool unsupported) = produced[producer.Name];
            Cell cell;
            if (result is null)
            {
                cell = new(producer.Name, consumer.Name, unsupported ? Results.Verdict.NotSupported : Results.Verdict.Fail, $"{producer.Name} could not produce: {error}");
            }
            else
            {
                await gate.WaitAsync(cancellation);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                    timeout.CancelAfter(TimeSpan.FromSeconds(60));
                    JsonArray read = await consumer.ConsumeAsync(topic, 0, 0, records.Length, timeout.Token);
                    Steps.AssertSame(records, read, 0, result.TimestampsSet, $"{consumer.Name} reading {producer.Name}");
                    cell = new(producer.Name, consumer.Name, Results.Verdict.Pass, "");
                }
                catch (StepUnsupportedException e)
                {
                    cell = new(producer.Name, consumer.Name, Results.Verdict.NotSupported, e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
                {
                    cell = new(producer.Name, consumer.Name, Results.Verdict.Fail, e.Message);
                }
                finally
                {
                    gate.Release();
                }
            }

            lock (cells)
            {
                cells.Add(cell);
            }
        }

        await Task.WhenAll(clients.SelectMany(p => clients.Select(c => Consume(p, c))));
        foreach ((string topic, _, _, _) in produced.Values)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await reference.StepAsync("delete_topic", new JsonObject { ["topic"] = topic }, timeout.Token);
            }
            catch (Exception e) when (e is StepFailedException or OperationCanceledException)
            {
                // Cleanup is best effort: a topic that was never created cannot be deleted.
            }
        }

        return cells;
    }
}
