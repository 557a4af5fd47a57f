using FluentValidation;
using PopInfo.Contracts.Registry;
using PopInfo.Domain.Codes;
using PopInfo.Domain.Identity;
using PopInfo.Domain.Records;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.Domain.Validation;

namespace PopInfo.Registry.Validation;

/// <summary>
/// The register's rules for one version of a person, checked on the record a command would write.
/// Each failure carries the field (camelCase, as in JSON) and the rule name as its error code.
/// </summary>
public sealed class PersonRecordValidator : AbstractValidator<PersonRecord>
{
    public PersonRecordValidator(TimeProvider clock, RegionCatalogue regions)
    {
        RuleFor(p => p.IdNumber).Custom((value, ctx) =>
        {
            var parsed = IdentityNumber.Parse(value);
            if (!parsed.IsValid)
            {
                ctx.AddFailure(Failure(ctx.PropertyPath, parsed.FailedRule!, parsed.Message!));
                return;
            }

            var record = ctx.InstanceToValidate;
            var parts = parsed.Parts!;
            if (PersonDates.IsInFuture(parts.BirthDate, ChinaTime.Today(clock)))
            {
                ctx.AddFailure(Failure(ctx.PropertyPath, PersonRules.DateNotInFuture, "The birth date inside the identity number is in the future."));
            }

            if (record.BirthDate != default && parts.BirthDate != record.BirthDate)
            {
                ctx.AddFailure(Failure("birthDate", PersonRules.BirthDateMatchesIdNumber,
                    "The birth date differs from the one in the identity number (characters 7 to 14)."));
            }

            if (record.Sex is SexCodes.Male or SexCodes.Female && parts.SexCode != record.Sex)
            {
                ctx.AddFailure(Failure("sex", PersonRules.SexMatchesIdNumber,
                    $"Sex is '{record.Sex}' but the identity number's sequence digit (character 17) is {(parts.IsMale ? "odd (male, '1')" : "even (female, '2')")}."));
            }
        });

        RuleFor(p => p.Name)
            .NotEmpty().WithErrorCode(PersonRules.Required).WithMessage("A name is required.")
            .Must(BeAPlausibleName).WithErrorCode(PersonRules.NameFormat)
            .WithMessage("A name is 1 to 50 characters of letters, '·' or spaces, with no digits or control characters.");

        RuleFor(p => p.Sex)
            .Must(s => s is SexCodes.Male or SexCodes.Female).WithErrorCode(PersonRules.SexCode)
            .WithMessage("Sex must be '1' (male) or '2' (female) of GB/T 2261.1.");

        RuleFor(p => p.BirthDate)
            .Must(d => d != default).WithErrorCode(PersonRules.Required).WithMessage("A birth date is required.")
            .Must(d => d == default || !PersonDates.IsInFuture(d, ChinaTime.Today(clock))).WithErrorCode(PersonRules.DateNotInFuture).WithMessage("The birth date is in the future.")
            .Must(d => d == default || !PersonDates.IsBeforeEarliestBirth(d)).WithErrorCode(PersonRules.BirthDateRange).WithMessage($"The birth date is before {PersonDates.EarliestBirth.Year}.");

        RuleFor(p => p.Ethnicity)
            .Must(NationalCodes.Ethnicity.Contains).WithErrorCode(PersonRules.EthnicityCode)
            .WithMessage("Ethnicity must be a two-digit code of GB 3304 (01 to 56, 97, 98).");

        RuleFor(p => p.MaritalStatus)
            .Must(NationalCodes.MaritalStatus.Contains).When(p => p.MaritalStatus is not null)
            .WithErrorCode(PersonRules.MaritalStatusCode).WithMessage("Marital status must be a code of GB/T 2261.2 (10, 20–23, 30, 40, 90).");

        RuleFor(p => p.Education)
            .Must(NationalCodes.Education.Contains).When(p => p.Education is not null)
            .WithErrorCode(PersonRules.EducationCode).WithMessage("Education must be a code of GB/T 4658.");

        RuleFor(p => p.Occupation).MaximumLength(100).WithErrorCode(PersonRules.TextLength);
        RuleFor(p => p.RegisteredAddress).MaximumLength(200).WithErrorCode(PersonRules.TextLength);
        RuleFor(p => p.ResidenceAddress).MaximumLength(200).WithErrorCode(PersonRules.TextLength);
        RuleFor(p => p.Destination).MaximumLength(200).WithErrorCode(PersonRules.TextLength);

        RuleFor(p => p.Phone)
            .Must(PersonFormats.IsPhone).When(p => p.Phone is not null)
            .WithErrorCode(PersonRules.PhoneFormat)
            .WithMessage("A phone number is a mainland mobile number (11 digits starting 13–19) or a landline such as 0510-12345678.");

        RuleFor(p => p.ResidenceType)
            .Must(ResidenceTypes.IsKnown).WithErrorCode(PersonRules.ResidenceType)
            .WithMessage("Residence type must be 'registered' or 'migrant'.");

        RuleFor(p => p.Status)
            .Must(PersonStatus.IsKnown).WithErrorCode(PersonRules.Status)
            .WithMessage("Status must be 'living', 'deceased' or 'moved-away'.");

        // Where the person lives: a Wuxi community while they live in the city.
        RuleFor(p => p.ResidenceRegionCode)
            .NotEmpty().WithErrorCode(PersonRules.Required).WithMessage("A living resident of the city needs a residence region (a community code).")
            .When(p => p.Status == PersonStatus.Living);
        RuleFor(p => p.ResidenceRegionCode)
            .Must(c => IsCommunity(regions, c)).When(p => !string.IsNullOrEmpty(p.ResidenceRegionCode))
            .WithErrorCode(PersonRules.RegionExists).WithMessage("The residence region must be a twelve-digit community or village code of Wuxi.");
        RuleFor(p => p.ResidenceAddress)
            .NotEmpty().WithErrorCode(PersonRules.Required).WithMessage("A living resident of the city needs a residence address.")
            .When(p => p.Status == PersonStatus.Living);

        // Where the person is registered: a Wuxi community for registered residents, the home county for migrants.
        RuleFor(p => p.RegisteredRegionCode)
            .NotEmpty().WithErrorCode(PersonRules.Required).WithMessage("A registered resident needs a registered region (a community code).")
            .Must(c => IsCommunity(regions, c)).WithErrorCode(PersonRules.RegionExists)
            .WithMessage("The registered region must be a twelve-digit community or village code of Wuxi.")
            .When(p => p.ResidenceType == ResidenceTypes.Registered && p.Status == PersonStatus.Living);
        RuleFor(p => p.RegisteredRegionCode)
            .Must(PersonFormats.IsCountyCode).WithErrorCode(PersonRules.CountyCode)
            .WithMessage("A migrant's registered region is the six-digit county code (GB/T 2260) of their home.")
            .When(p => p.ResidenceType == ResidenceTypes.Migrant && p.RegisteredRegionCode is not null);

        RuleFor(p => p.Migrant)
            .NotNull().WithErrorCode(PersonRules.MigrantDetails).WithMessage("A migrant needs origin, arrival date, reason and expected stay.")
            .When(p => p.ResidenceType == ResidenceTypes.Migrant);
        RuleFor(p => p.Migrant)
            .Null().WithErrorCode(PersonRules.MigrantDetails).WithMessage("Migrant details belong only to a person whose residence type is 'migrant'.")
            .When(p => p.ResidenceType == ResidenceTypes.Registered);
        RuleFor(p => p.Migrant!).ChildRules(m =>
        {
            m.RuleFor(x => x.OriginRegionCode).Must(PersonFormats.IsCountyCode).WithErrorCode(PersonRules.CountyCode)
                .WithMessage("The origin must be a six-digit county code (GB/T 2260) with a valid province prefix.");
            m.RuleFor(x => x.ArrivalDate).Must(d => !PersonDates.IsInFuture(d, ChinaTime.Today(clock))).WithErrorCode(PersonRules.DateNotInFuture)
                .WithMessage("The arrival date is in the future.");
            m.RuleFor(x => x.Reason).Must(MigrantReasons.IsKnown).WithErrorCode(PersonRules.MigrantReason)
                .WithMessage(MigrantReasons.MustBeOneOf);
            m.RuleFor(x => x.ExpectedStayMonths).InclusiveBetween(1, 600).WithErrorCode(PersonRules.ExpectedStay)
                .WithMessage("The expected stay is 1 to 600 months.");
            m.RuleFor(x => x.DepartureDate).Must(d => !PersonDates.IsInFuture(d!.Value, ChinaTime.Today(clock))).When(x => x.DepartureDate is not null)
                .WithErrorCode(PersonRules.DateNotInFuture).WithMessage("The departure date is in the future.");
        }).When(p => p.Migrant is not null);
        RuleFor(p => p.Migrant!.ArrivalDate)
            .Must((p, d) => d >= p.BirthDate).When(p => p.Migrant is not null && p.BirthDate != default)
            .WithErrorCode(PersonRules.DateNotBeforeBirth).WithMessage("The arrival date is before the birth date.");

        RuleFor(p => p.DeathDate)
            .NotNull().WithErrorCode(PersonRules.DeathDateRequired).WithMessage("A deceased person needs a date of death.")
            .When(p => p.Status == PersonStatus.Deceased);
        RuleFor(p => p.DeathDate)
            .Null().WithErrorCode(PersonRules.DeathDateOnlyWhenDeceased).WithMessage("Only a deceased person has a date of death.")
            .When(p => p.Status != PersonStatus.Deceased);
        RuleFor(p => p.DeathDate!.Value)
            .Must(d => !PersonDates.IsInFuture(d, ChinaTime.Today(clock))).WithErrorCode(PersonRules.DateNotInFuture).WithMessage("The date of death is in the future.")
            .Must((p, d) => d >= p.BirthDate).WithErrorCode(PersonRules.DateNotBeforeBirth).WithMessage("The date of death is before the birth date.")
            .When(p => p.DeathDate is not null)
            .OverridePropertyName("deathDate");

        RuleFor(p => p.RelationshipToHead)
            .Must(NationalCodes.FamilyRelationship.Contains).When(p => p.RelationshipToHead is not null)
            .WithErrorCode(PersonRules.RelationshipCode).WithMessage("The relationship must be a code of GB/T 4761 ('02' head, '10' spouse, '20' son...).");
        RuleFor(p => p.RelationshipToHead)
            .NotEmpty().When(p => p.HouseholdId is not null)
            .WithErrorCode(PersonRules.HouseholdRelationship).WithMessage("A member of a household needs a relationship to its head.");
    }

    private static FluentValidation.Results.ValidationFailure Failure(string field, string rule, string message) =>
        new(field, message) { ErrorCode = rule };

    private static bool BeAPlausibleName(string? name) => PersonFormats.IsName(name);

    private static bool IsCommunity(RegionCatalogue regions, string? code) =>
        regions.TryGet(code, out var region) && region.Level == RegionLevel.Community;

}
