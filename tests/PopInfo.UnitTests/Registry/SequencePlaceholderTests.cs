using System.Text.Json;
using PopInfo.Contracts;
using PopInfo.Contracts.Registry;
using PopInfo.Registry.Commands;
using PopInfo.Registry.Data;

namespace PopInfo.UnitTests.Registry;

/// <summary>
/// The event and the answer are serialised before their change-log number is taken; the database replaces the
/// placeholder's text. These check that the placeholder's text is what the serialiser writes, once, and that a name
/// quoting the placeholder cannot be mistaken for it.
/// </summary>
public sealed class SequencePlaceholderTests
{
    private static readonly PersonRecord Person = new()
    {
        PersonId = Guid.Parse("0193a1f0-0000-7000-8000-000000000001"),
        IdNumber = "320202199001011234",
        // A free-text field that quotes the token: serialised, its quotes are escaped, so it is not the token.
        Name = "张三 \"sequence\":-9223372036854775808",
        Sex = "1",
        BirthDate = new DateOnly(1990, 1, 1),
        Ethnicity = "01",
        ResidenceType = "registered",
        Status = "living",
        ResidenceRegionCode = "320202001",
    };

    private static readonly DateTimeOffset At = new(2026, 12, 7, 1, 2, 3, TimeSpan.Zero);

    [Fact]
    public void An_events_placeholder_is_filled_with_the_number_and_nothing_else_changes()
    {
        var change = new PersonChanged
        {
            EventId = Guid.Parse("0193a1f0-0000-7000-8000-0000000000e1"),
            Sequence = SequencePlaceholder.Value,
            PersonId = Person.PersonId,
            IdNumber = Person.IdNumber,
            ChangeType = "registered",
            ChangedFields = ["name"],
            Version = 3,
            Person = Person,
            OccurredAt = At,
            RecordedAt = At,
            Source = "api",
            CommandId = Guid.Parse("0193a1f0-0000-7000-8000-0000000000c1"),
        };

        var filled = SequencePlaceholder.Fill(JsonSerializer.Serialize(change, Json.Options), 12345);

        Assert.Equal(JsonSerializer.Serialize(change with { Sequence = 12345 }, Json.Options), filled);
        Assert.Equal(Person.Name, JsonSerializer.Deserialize<PersonChanged>(filled, Json.Options)!.Person.Name);
    }

    [Fact]
    public void An_answers_placeholder_is_filled_with_the_number_and_nothing_else_changes()
    {
        ChangeResult Result(long sequence) => new(Person.PersonId, 3, sequence, "registered", Guid.Parse("0193a1f0-0000-7000-8000-0000000000e1"), At, Person);

        var filled = SequencePlaceholder.Fill(JsonSerializer.Serialize(Result(SequencePlaceholder.Value), Json.Options), 7);

        Assert.Equal(JsonSerializer.Serialize(Result(7), Json.Options), filled);
    }

    [Theory]
    [InlineData("{\"version\":1}")]
    [InlineData("{\"sequence\":-9223372036854775808,\"sequence\":-9223372036854775808}")]
    public void Json_without_the_placeholder_or_with_it_twice_is_refused(string json)
    {
        Assert.Throws<InvalidOperationException>(() => SequencePlaceholder.Once(json));
    }
}
