using System.Text.Json.Nodes;

namespace KafkaSharp.Interop.Clients;

/// <summary>The drivers' one-line answers: {"ok": {...}} | {"error": "...", "code": n|null} | {"unsupported": "..."}.</summary>
internal static class DriverProtocol
{
    public static JsonObject Unwrap(string clientName, string step, JsonNode? answer, string diagnostics)
    {
        if (answer is not JsonObject obj)
        {
            throw new StepFailedException($"{clientName} {step}: no answer; {diagnostics}", null);
        }

        if (obj["ok"] is JsonObject ok)
        {
            return ok;
        }

        if (obj["unsupported"] is JsonNode why)
        {
            throw new StepUnsupportedException(why.GetValue<string>());
        }

        int? code = obj["code"] is JsonValue c && c.TryGetValue(out int n) ? n : null;
        throw new StepFailedException($"{clientName} {step}: {obj["error"]?.GetValue<string>()}", code);
    }
}
