using PopInfo.Collection.Forms;
using PopInfo.Contracts.Registry.Commands;
using PopInfo.Domain.Codes;
using PopInfo.Domain.Records;

namespace PopInfo.UnitTests.Records;

/// <summary>The register's codes as clients see them, and the places that must agree with the domain's one list.</summary>
public class RecordCodesTests
{
    [Fact]
    public void Statuses_and_residence_types_are_the_registers_words()
    {
        Assert.Equal(["living", "deceased", "moved-away"], PersonStatus.All);
        Assert.True(PersonStatus.IsKnown("moved-away"));
        Assert.False(PersonStatus.IsKnown("Living"));
        Assert.False(PersonStatus.IsKnown(null));

        Assert.Equal(["registered", "migrant"], ResidenceTypes.All);
        Assert.True(ResidenceTypes.IsKnown("migrant"));
        Assert.False(ResidenceTypes.IsKnown("visitor"));
        Assert.False(ResidenceTypes.IsKnown(null));
    }

    [Fact]
    public void Migrant_reasons_and_their_message()
    {
        Assert.Equal(["work", "business", "study", "family", "other"], MigrantReasons.All);
        Assert.Equal("The reason must be one of: work, business, study, family, other.", MigrantReasons.MustBeOneOf);
        Assert.True(MigrantReasons.IsKnown(MigrantReasons.Family));
        Assert.False(MigrantReasons.IsKnown("tourism"));
    }

    [Fact]
    public void The_correctable_fields_are_the_fields_of_the_registrys_correction_command()
    {
        var commandFields = RegistryCommandCatalogue.Of<CorrectDetails>().OwnFields.Where(f => f != "reason");

        Assert.Equal(
            ["idNumber", "name", "sex", "birthDate", "ethnicity", "maritalStatus", "education", "occupation", "phone", "registeredAddress", "residenceAddress"],
            CorrectableFields.All);
        Assert.Equal(CorrectableFields.All.Order(StringComparer.Ordinal), commandFields.Order(StringComparer.Ordinal));
        Assert.False(CorrectableFields.Contains("status"));
    }

    [Fact]
    public void A_correction_form_takes_the_correctable_fields_with_the_new_identity_number_as_newIdNumber()
    {
        Assert.Equal(
            ["newIdNumber", "name", "sex", "birthDate", "ethnicity", "maritalStatus", "education", "occupation", "phone", "registeredAddress", "residenceAddress"],
            FormTypes.Correction.Optional);
    }

    [Fact]
    public void Rule_names_clients_depend_on_do_not_change()
    {
        Assert.Equal("birth-date.range", PersonRules.BirthDateRange);
        Assert.Equal("date.not-in-future", PersonRules.DateNotInFuture);
        Assert.Equal("date.not-before-birth", PersonRules.DateNotBeforeBirth);
        Assert.Equal("date.not-before-arrival", PersonRules.DateNotBeforeArrival);
        Assert.Equal("state.person-living", PersonRules.PersonLiving);
        Assert.Equal("state.not-already-registered", PersonRules.NotAlreadyRegistered);
        Assert.Equal("state.not-living-in-city", PersonRules.NotLivingInCity);
        Assert.Equal("state.registered-resident", PersonRules.RegisteredResident);
        Assert.Equal("state.migrant", PersonRules.Migrant);
        Assert.Equal("mother.exists", PersonRules.MotherExists);
        Assert.Equal("mother.female", PersonRules.MotherFemale);
        Assert.Equal("mother.plausible-age", PersonRules.MotherPlausibleAge);
        Assert.Equal("household.exists", PersonRules.HouseholdExists);
        Assert.Equal("household.one-head", PersonRules.HouseholdOneHead);
        Assert.Equal("migrant.reason", PersonRules.MigrantReason);
    }
}
