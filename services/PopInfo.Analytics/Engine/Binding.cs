using PopInfo.Domain.Statistics;

namespace PopInfo.Analytics.Engine;

/// <summary>The column a dimension or filter reads.</summary>
public enum Source
{
    Community,
    BirthDay,
    Sex,
    ResidenceType,
    Education,
    Marital,
    Ethnicity,
    Province,
    Reason,
    HouseholdSize,
}

/// <summary>
/// A dimension or filter bound to one query: the column it reads, a look-up table from the column's value to a
/// category (−1: the row is not counted), and the stride of the category in the cell number (0 for a filter). Age
/// dimensions also carry the category of each age in completed years (<see cref="ByAge"/>), for the day views, which
/// hold ages rather than birth days.
/// </summary>
public sealed record Binding(Source Source, int[] Lookup, int Offset, int Stride, int[]? ByAge = null)
{
    /// <summary>The category of a value as a day view packs it (an age for the age dimensions), or −1.</summary>
    public int CategoryOfPacked(int value)
    {
        var lookup = Source == Source.BirthDay ? ByAge! : Lookup;
        return (uint)value < (uint)lookup.Length ? lookup[value] : -1;
    }

    /// <summary>The category of each value of a column, for a dimension's categories or (with <paramref name="allowed"/>) a filter.</summary>
    public static Binding For(Dimension dimension, Categories categories, int day, int earliestBirthDay, int stride, IReadOnlySet<string>? allowed = null, int? onlyGroup = null)
    {
        var positions = dimension.Categories.Select((c, i) => (c.Code, i)).ToDictionary(p => p.Code, p => p.i, StringComparer.Ordinal);
        int Category(string code) => positions.TryGetValue(code, out var p) && (allowed is null || allowed.Contains(code)) ? (allowed is null ? p : 0) : -1;

        switch (dimension.Kind)
        {
            case DimensionKind.District or DimensionKind.Street or DimensionKind.Community:
                var communities = categories.Communities;
                var lookup = new int[communities.Count];
                for (var c = 0; c < communities.Count; c++)
                {
                    var code = dimension.Kind switch
                    {
                        DimensionKind.District => categories.Regions.Districts[categories.DistrictOfCommunity[c]].Code,
                        DimensionKind.Street => categories.Regions.Streets[categories.StreetOfCommunity[c]].Code,
                        _ => communities[c].Code,
                    };
                    lookup[c] = Category(code);
                }

                return new(Source.Community, lookup, 0, stride);

            case DimensionKind.Age or DimensionKind.AgeBand or DimensionKind.AgeGroup:
                // Indexed by birth day from the earliest birth in the index to the day asked: everyone born later is not yet alive.
                var first = Math.Min(earliestBirthDay, day);
                var byAge = new int[Ages.OpenEnded + 1];
                for (var age = 0; age <= Ages.OpenEnded; age++)
                {
                    byAge[age] = dimension.Kind switch
                    {
                        DimensionKind.Age => Category(Ages.SingleYear(age) == Ages.OpenEnded ? $"{Ages.OpenEnded}+" : $"{age}"),
                        DimensionKind.AgeBand => Category(Ages.FiveYearBandLabel(Ages.FiveYearBand(age))),
                        _ => AgeGroup(age),
                    };
                }

                var ages = Array.ConvertAll(Ages.SingleYearsByBirthDay(first, day), age => byAge[age]);

                return new(Source.BirthDay, ages, first, stride, byAge);

            case DimensionKind.HouseholdSize:
                var sizes = new int[HouseholdSizes.Largest + 1];
                sizes[0] = Category(Dimensions.NotStated);
                for (var s = 1; s <= HouseholdSizes.Largest; s++)
                {
                    sizes[s] = Category(s == HouseholdSizes.Largest ? $"{s}+" : $"{s}");
                }

                return new(Source.HouseholdSize, sizes, 0, stride);

            default:
                // Coded fields: the column holds 1 + the code's position in its list, 0 when not stated.
                var (source, codes) = dimension.Kind switch
                {
                    DimensionKind.Sex => (Source.Sex, Categories.Sex.Entries.Select(e => e.Code)),
                    DimensionKind.ResidenceType => (Source.ResidenceType, Engine.Categories.ResidenceTypes),
                    DimensionKind.Education => (Source.Education, Categories.Education.Entries.Select(e => e.Code)),
                    DimensionKind.MaritalStatus => (Source.Marital, Categories.MaritalStatus.Entries.Select(e => e.Code)),
                    DimensionKind.Ethnicity => (Source.Ethnicity, Categories.Ethnicity.Entries.Select(e => e.Code)),
                    DimensionKind.OriginProvince => (Source.Province, Categories.Province.Entries.Select(e => e.Code)),
                    DimensionKind.MigrantReason => (Source.Reason, Domain.Codes.MigrantReasons.All),
                    _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
                };
                var byValue = new int[256];
                byValue[0] = Category(Dimensions.NotStated);
                var value = 1;
                foreach (var code in codes)
                {
                    byValue[value++] = Category(code);
                }

                return new(source, byValue, 0, stride);
        }

        int AgeGroup(int age)
        {
            if (onlyGroup is { } g)
            {
                return Ages.InPlannerGroup(age, g) ? (allowed is null ? g : 0) : -1;
            }

            // A filter on groups: in any of the allowed ones.
            for (var i = 0; i < Ages.PlannerGroups.Count; i++)
            {
                if (Ages.InPlannerGroup(age, i) && (allowed is null || allowed.Contains(Ages.PlannerGroups[i])))
                {
                    return 0;
                }
            }

            return -1;
        }
    }
}
