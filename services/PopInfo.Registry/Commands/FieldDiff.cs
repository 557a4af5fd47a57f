using System.Text.Json;
using System.Text.Json.Nodes;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;

namespace PopInfo.Registry.Commands;

/// <summary>Names the fields (as serialised, camelCase) whose value differs between two versions of a record.</summary>
internal static class FieldDiff
{
    public static IReadOnlyList<string> Changed(PersonRecord? before, PersonRecord after)
    {
        var a = JsonSerializer.SerializeToNode(after, Json.Options)!.AsObject();
        if (before is null)
        {
            return [.. a.Select(p => p.Key)];
        }

        var b = JsonSerializer.SerializeToNode(before, Json.Options)!.AsObject();
        return [.. a.Select(p => p.Key).Union(b.Select(p => p.Key))
            .Where(key => !JsonNode.DeepEquals(a[key], b[key]))
            .Order(StringComparer.Ordinal)];
    }
}
