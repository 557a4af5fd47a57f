using System.Text.Json.Nodes;
using PopInfo.Domain.Sharing;

namespace PopInfo.Sharing.Operations;

/// <summary>
/// A person's record as a grant shows it: only the granted fields, each plain or masked (<see cref="DisplayMasks"/>); any
/// other field of the record is left out. A field the record has no value for is left out too.
/// </summary>
public static class GrantedFields
{
    /// <summary>The fields shown and their names (what the audit records as returned).</summary>
    public static (JsonObject Shown, IReadOnlyList<string> Names) Of(SharingGrant grant, string recordJson) =>
        Of(grant, JsonNode.Parse(recordJson)!.AsObject());

    /// <summary>As <see cref="Of(SharingGrant, string)"/>, for a record already parsed.</summary>
    public static (JsonObject Shown, IReadOnlyList<string> Names) Of(SharingGrant grant, JsonObject record)
    {
        var shown = new JsonObject();
        var names = new List<string>();
        foreach (var (field, mask) in grant.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!record.TryGetPropertyValue(field, out var value) || value is null)
            {
                continue;
            }

            shown[field] = mask == DisplayMasks.Masked && value.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? DisplayMasks.Apply(field, mask, value.GetValue<string>())
                : value.DeepClone();
            names.Add(field);
        }

        return (shown, names);
    }
}
