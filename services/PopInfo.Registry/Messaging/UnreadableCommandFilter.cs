using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Registry.Messaging;

/// <summary>
/// Answers a typed command whose JSON cannot be read (a field of the wrong JSON type, <c>"birthDate": 12</c>) with the
/// refusal the REST route gives the same body (<see cref="UnreadableJson"/>: the field and <c>json.format</c>, 400), and
/// applies, stores and parks nothing: the sender records the refusal instead of resending for ever.
/// </summary>
/// <remarks>
/// Why in the error pipe, and not a catch in the consumer or a consume filter: MassTransit 8 reads a message's body into
/// its record lazily, but in its own dispatch by message type (<c>ConsumeContextMessageTypeFilter</c> calls
/// <c>TryGetMessage&lt;T&gt;</c>), which runs right after deserializing the envelope and before every consume filter
/// (the retry policy's too) and the consumer. The <see cref="JsonException"/> it throws goes straight to the endpoint's
/// error pipe, whose default moves the message to <c>popinfo.registry.commands_error</c>, unanswered. This filter is the
/// first of that pipe: when the body of a registry command indeed does not read as the record it names, it answers and
/// stops there (the message is then acknowledged); any other failure, or an answer that cannot be sent, goes on to
/// MassTransit's default error pipe as before.
/// </remarks>
public sealed class UnreadableCommandFilter(TimeProvider clock, ILogger<UnreadableCommandFilter> logger) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (Unreadable(context.Body.GetBytes()) is { } unreadable)
        {
            try
            {
                await unreadable.Answer.SendAsync(context, unreadable.ResponseAddress, context.SendEndpointProvider, clock, logger, context.CancellationToken);
                logger.LogWarning(context.Exception, "A {CommandType} command could not be read; it was refused and not applied", unreadable.Answer.CommandType);
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The refusal of an unreadable {CommandType} command could not be sent; the command goes to the error queue",
                    unreadable.Answer.CommandType);
            }
        }

        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("unreadableRegistryCommand");

    internal sealed record UnreadableCommand(Answered Answer, Uri? ResponseAddress);

    /// <summary>
    /// The refusal of a typed registry command in MassTransit's JSON envelope whose message does not read as the record its
    /// message type names; null when it reads, or is not such a command.
    /// </summary>
    internal static UnreadableCommand? Unreadable(byte[] envelopeBytes)
    {
        JsonObject? envelope;
        try
        {
            envelope = JsonNode.Parse(envelopeBytes) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        var types = envelope?["messageType"] is JsonArray array ? array.Select(t => t?.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null).ToHashSet() : [];
        var kind = RegistryCommandCatalogue.All.FirstOrDefault(k => types.Contains(MessageUrn.ForTypeString(k.Type)));
        if (kind is null || envelope!["message"] is not JsonObject body)
        {
            return null;
        }

        Refusal refusal;
        try
        {
            body.Deserialize(kind.Type, Json.Options);
            return null;
        }
        catch (JsonException ex)
        {
            refusal = UnreadableJson.RefusalOf(ex);
        }
        catch (InvalidOperationException ex) when (TextViolations.IsLoneSurrogateEscape(ex))
        {
            refusal = Refusal.Invalid([TextViolations.LoneSurrogateEscape("body")]);
        }

        // The envelope's fields as far as they read: the answer must name the command id the sender waits on.
        var commandId = GuidOf(body, "commandId") ?? GuidOf(envelope, "messageId") ?? Guid.Empty;
        var responseAddress = TextOf(envelope, "responseAddress") is { } address && Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri : null;
        return new UnreadableCommand(new Answered(kind.Name, commandId, GuidOf(body, "correlationId"), TextOf(body, "actor"), refusal), responseAddress);
    }

    private static Guid? GuidOf(JsonObject body, string name) =>
        TextOf(body, name) is { } text && Guid.TryParse(text, out var id) ? id : null;

    // A string member that is text (the free-text rule): an actor with a NUL is not repeated in the answer.
    private static string? TextOf(JsonObject body, string name)
    {
        try
        {
            return body[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is var text
                && TextViolations.Of(name, text) is null ? text : null;
        }
        catch (InvalidOperationException ex) when (TextViolations.IsLoneSurrogateEscape(ex))
        {
            return null;
        }
    }
}
