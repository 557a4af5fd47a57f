using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using PopInfo.Contracts.Registry.Commands;

namespace PopInfo.Registry.Commands;

/// <summary>
/// The request as the registry understood it, hashed: a repeat of a command id must match it exactly, or it is refused
/// as an id reused for another request. Hashed after the registry has resolved what the sender named by numbers (the
/// subject, the mother, the household), so the fields that name them by number, the person id the route or the
/// message carries, and the time of sending are left out — which also keeps every hash the registry stored before the
/// typed commands (version 2 of the contract) valid: the fields hashed, and their order, are those of version 1
/// (pinned by RequestHashTests).
/// </summary>
public static class RequestHash
{
    private static readonly HashSet<string> Unhashed =
    [
        nameof(RegistryCommand.PersonId), nameof(RegistryCommand.SubjectIdNumber), nameof(RegistryCommand.SentAt),
        nameof(NewPersonCommand.HouseholdNumber), nameof(RegisterBirth.MotherIdNumber),
    ];

    // Fixed settings of its own, so that a change of the API's JSON conventions never changes stored hashes.
    private static readonly JsonSerializerOptions Settings = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutUnhashed } },
    };

    /// <summary>The JSON the hash is taken of.</summary>
    public static string Canonical(RegistryCommand request) => JsonSerializer.Serialize(request, request.GetType(), Settings);

    public static string Of(RegistryCommand request) =>
        Convert.ToHexString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, request.GetType(), Settings)));

    private static void LeaveOutUnhashed(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || !type.Type.IsAssignableTo(typeof(RegistryCommand)))
        {
            return;
        }

        for (var i = type.Properties.Count - 1; i >= 0; i--)
        {
            if (type.Properties[i].AttributeProvider is System.Reflection.PropertyInfo { Name: var name } && Unhashed.Contains(name))
            {
                type.Properties.RemoveAt(i);
            }
        }
    }
}
