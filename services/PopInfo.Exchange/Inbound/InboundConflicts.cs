using PopInfo.Contracts.Registry;
using PopInfo.Domain.Records;

namespace PopInfo.Exchange.Inbound;

/// <summary>
/// What a record must not do to the register without a person looking at it first. Checked in this order,
/// the first that applies holds the record:
/// <list type="number">
/// <item><c>inbound.conflict.details-differ</c>: the record's sex or birth date is not the matched person's.</item>
/// <item><c>inbound.conflict.already-registered</c>: a birth whose child's identity number is already in the register.</item>
/// <item><c>inbound.conflict.not-living</c>: a death, move-out, move within the city or migrant departure of a person
/// the register shows as deceased or moved away.</item>
/// <item><c>inbound.conflict.not-a-migrant</c>: a migrant departure of a registered resident.</item>
/// </list>
/// Everything else the registry decides when the command arrives (its answer may still be a refusal).
/// </summary>
public static class InboundConflicts
{
    public static HoldReason? Check(InboundRecord record, RegisteredPerson? person)
    {
        if (person is null)
        {
            return null;
        }

        if (record.Sex is { } sex && sex != person.Sex)
        {
            return new(HoldRules.DetailsDiffer, record.FieldPath("person.sex"), "The record's sex is not the one the register has for this person.");
        }

        if (record.BirthDate is { } birth && person.BirthDate is { } registered && birth != registered)
        {
            return new(HoldRules.DetailsDiffer, record.FieldPath("person.birthDate"), "The record's birth date is not the one the register has for this person.");
        }

        if (record.Kind == InboundKindCatalogue.Birth)
        {
            return new(HoldRules.AlreadyRegistered, record.FieldPath("person.idNumber"), "A person with the child's identity number is already in the register.");
        }

        if (record.Kind.NeedsLivingPerson && person.Status != PersonStatus.Living)
        {
            return new(HoldRules.NotLiving, record.FieldPath("person"), $"The register shows this person as '{person.Status}', not living.");
        }

        if (record.Kind == InboundKindCatalogue.MigrantDeparture && person.ResidenceType != ResidenceTypes.Migrant)
        {
            return new(HoldRules.NotAMigrant, record.FieldPath("person"), "The register shows this person as a registered resident: a resident moves out, a migrant departs.");
        }

        return null;
    }
}
