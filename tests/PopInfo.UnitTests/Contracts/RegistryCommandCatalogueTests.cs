using System.Reflection;
using PopInfo.Collection.Forms;
using PopInfo.Contracts.Registry;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Exchange.Inbound;

namespace PopInfo.UnitTests.Contracts;

/// <summary>
/// The one list of registry commands, and the lists derived from it: the desk's forms and the departments' record kinds
/// take exactly the fields they took when each restated them by hand (the literals below are those lists, commit 2d410b6).
/// </summary>
public sealed class RegistryCommandCatalogueTests
{
    [Fact]
    public void Every_command_record_is_in_the_catalogue_once_under_its_name()
    {
        var records = typeof(RegistryCommand).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(RegistryCommand)) && !t.IsAbstract).ToList();
        var names = typeof(RegistryCommandTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

        Assert.Equal(records.OrderBy(t => t.Name), RegistryCommandCatalogue.All.Select(k => k.Type).OrderBy(t => t.Name));
        Assert.Equal(names.Order(), RegistryCommandCatalogue.All.Select(k => k.Name).Order());
        Assert.All(RegistryCommandCatalogue.All, k => Assert.Equal(k.Name, ((RegistryCommand)Activator.CreateInstance(k.Type)!).CommandType));
    }

    [Fact]
    public void The_fields_leave_out_the_envelope_and_put_the_base_records_first()
    {
        Assert.Equal(["householdId", "relationshipToHead"], RegistryCommandCatalogue.Of<ChangeHousehold>().Fields.Where(f => f != "householdNumber"));
        Assert.Equal(["deathDate"], RegistryCommandCatalogue.Of<RegisterDeath>().Fields);
        Assert.Equal("idNumber", RegistryCommandCatalogue.Of<RegisterBirth>().Fields[0]);
        Assert.Equal(["motherId", "motherIdNumber"], RegistryCommandCatalogue.Of<RegisterBirth>().OwnFields);
        Assert.True(RegistryCommandKind.IsId("motherId"));
        Assert.False(RegistryCommandKind.IsId("motherIdNumber"));
    }

    private static readonly string[] NewPersonRequired = ["idNumber", "name", "sex", "birthDate", "ethnicity"];

    private static readonly string[] NewPersonOptional =
    [
        "maritalStatus", "education", "occupation", "phone", "registeredAddress", "registeredRegionCode",
        "residenceAddress", "residenceRegionCode", "householdNumber", "relationshipToHead",
    ];

    public static TheoryData<string, string[]> FormOptionalFields => new()
    {
        { "birth", [.. NewPersonOptional, "motherIdNumber", "noMotherReason"] },
        { "death", [] },
        { "move-in", [.. NewPersonOptional.Except(["registeredRegionCode"])] },
        { "move-out", [] },
        { "move-within-city", ["moveRegistration"] },
        { "migrant-arrival", [.. NewPersonOptional.Except(["residenceRegionCode"])] },
        { "migrant-departure", ["destination"] },
        { "correction", ["newIdNumber", "name", "sex", "birthDate", "ethnicity", "maritalStatus", "education", "occupation", "phone", "registeredAddress", "residenceAddress"] },
        { "household-change", ["householdNumber", "relationshipToHead"] },
    };

    [Theory]
    [MemberData(nameof(FormOptionalFields))]
    public void A_forms_fields_derived_from_its_command_are_those_it_always_took(string form, string[] optional) =>
        Assert.Equal(optional, FormTypes.Find(form)!.Optional);

    public static TheoryData<string, string[]> KindOptionalFields => new()
    {
        { "birth", ["motherIdNumber"] },
        { "death", [] },
        { "move-in", [] },
        { "move-out", [] },
        { "move-within-city", ["moveRegistration"] },
        { "migrant-arrival", [] },
        { "migrant-departure", ["destination"] },
        { "correction", [] },
    };

    [Theory]
    [MemberData(nameof(KindOptionalFields))]
    public void A_record_kinds_fields_derived_from_its_command_are_those_it_always_took(string kind, string[] optional) =>
        Assert.Equal(optional, InboundKindCatalogue.Find(kind)!.Optional);

    [Fact]
    public void A_new_persons_details_are_the_same_for_forms_and_record_kinds()
    {
        Assert.Equal(NewPersonOptional, InboundKind.NewPersonOptional);
        Assert.Equal(NewPersonRequired, InboundKind.NewPersonRequired);
        Assert.Equal([.. NewPersonRequired, .. NewPersonOptional, "motherIdNumber", "noMotherReason"], [.. FormTypes.Birth.Required, .. FormTypes.Birth.Optional]);
    }

    [Theory]
    [InlineData("collection", "popinfo.registry.answers.collection")]
    [InlineData("exchange", "popinfo.registry.answers.exchange")]
    public void A_senders_answer_exchange_lies_under_the_registrys_names(string sender, string exchange)
    {
        Assert.Equal(exchange, RegistryCommandRoutes.AnswerExchange(sender));
        Assert.Equal(sender, RegistryCommandRoutes.SenderOf(exchange));
    }

    [Theory]
    [InlineData("popinfo.registry.commands")]
    [InlineData("popinfo.registry.answers.")]
    [InlineData("popinfo.registry.answers.Collection")]
    [InlineData("popinfo.registry.answers.a.b")]
    public void Anything_else_is_no_answer_exchange(string exchange)
    {
        Assert.Null(RegistryCommandRoutes.SenderOf(exchange));
        Assert.Throws<ArgumentException>(() => RegistryCommandRoutes.AnswerExchange(exchange));
    }
}
