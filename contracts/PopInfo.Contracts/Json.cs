using System.Text.Json;
using System.Text.Json.Serialization;

namespace PopInfo.Contracts;

/// <summary>The JSON settings of every PopInfo message and API body: camelCase, enums as strings, no nulls written.</summary>
public static class Json
{
    /// <summary>Shared, immutable serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies the PopInfo conventions to a given options instance (ASP.NET Core's, MassTransit's).</summary>
    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // Chinese names and addresses stay readable in bodies and logs of JSON; HTML pages encode on their own.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }

    private static JsonSerializerOptions Create()
    {
        var options = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
