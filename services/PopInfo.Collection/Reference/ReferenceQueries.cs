using PopInfo.Domain.Counties;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Collection.Reference;

/// <summary>
/// The desk's pickers: the city's regions by level (district → street → community) and the national county list for
/// origins and places of issue. Reference data only — no person is read, so nothing here is audited. Every answer is
/// a value or a problem naming the field and the rule.
/// </summary>
public sealed class ReferenceQueries(RegionCatalogue regions, CountyCatalogue counties)
{
    /// <summary>Search queries longer than this are refused; no county name is longer than 15 characters.</summary>
    public const int MaxQueryLength = 20;

    /// <summary>A query has at most six digits (a code prefix; names have none): more is an identity number, which must not travel in a URL.</summary>
    public const int MaxCodeDigits = 6;

    public const int DefaultLimit = 20;
    public const int MaxLimit = 50;

    /// <summary>The city and its districts: where the cascade starts.</summary>
    public RegionChildren City()
    {
        var city = regions.TryGet(regions.CityCode, out var found) ? found : throw new InvalidOperationException("The catalogue does not hold its own city.");
        return new RegionChildren(RegionView.Of(city), [.. regions.ChildrenOf(city.Code).Select(RegionView.Of)]);
    }

    /// <summary>A region with the chain above it (city first).</summary>
    public Result<RegionDetail> DetailOf(string regionCode)
    {
        var found = Find(regionCode);
        if (found.Value is not { } region)
        {
            return found.As<RegionDetail>();
        }

        var chain = new List<RegionView>();
        for (var up = region.ParentCode; up is not null && regions.TryGet(up, out var parent); up = parent.ParentCode)
        {
            chain.Insert(0, RegionView.Of(parent));
        }

        return new RegionDetail(RegionView.Of(region), chain);
    }

    /// <summary>The regions directly below a region (none below a community).</summary>
    public Result<RegionChildren> ChildrenOf(string regionCode)
    {
        var found = Find(regionCode);
        return found.Value is not { } region
            ? found.As<RegionChildren>()
            : new RegionChildren(RegionView.Of(region), [.. regions.ChildrenOf(region.Code).Select(RegionView.Of)]);
    }

    /// <summary>Counties by name or code prefix, best match first.</summary>
    public Result<CountySearchView> SearchCounties(string? q, int? limit)
    {
        var violations = new List<RuleViolation>();
        var query = q?.Trim() ?? "";
        var byCode = query.Length > 0 && query.All(char.IsAsciiDigit);
        if (query.Length == 0)
        {
            violations.Add(new("q", "county-search.query-required", "Give part of a county's name or the first digits of its code."));
        }
        else if (query.Count(char.IsAsciiDigit) > MaxCodeDigits)
        {
            violations.Add(new("q", "county-search.code-prefix", "A county code has six digits: send at most the first six digits of an identity number, never the whole number."));
        }
        else if (query.Length > MaxQueryLength)
        {
            violations.Add(new("q", "county-search.query-length", $"At most {MaxQueryLength} characters."));
        }

        if (limit is < 1 or > MaxLimit)
        {
            violations.Add(new("limit", "county-search.limit", $"The limit is from 1 to {MaxLimit}."));
        }

        if (violations.Count > 0)
        {
            return Refusal.Invalid(violations);
        }

        var found = counties.Search(query, limit ?? DefaultLimit);
        return new CountySearchView(query, byCode ? "code" : "name", [.. found.Select(e => CountyView.Of(e, counties))]);
    }

    /// <summary>Everything the county list knows of a six-digit code.</summary>
    public Result<CountyCodeView> CountyOf(string countyCode)
    {
        if (countyCode.Length != 6 || !countyCode.All(char.IsAsciiDigit))
        {
            return Refusal.Invalid("countyCode", "county.code-format", "A county code has six digits (GB/T 2260), e.g. 320213.");
        }

        var entries = counties.EntriesOf(countyCode);
        if (entries.Count == 0)
        {
            return NotFound("countyCode", "county.exists",
                $"The county list has no code {countyCode} (it has county- and prefecture-level codes since 1981; a 市辖区 code such as 320201 is not among them).");
        }

        return new CountyCodeView(countyCode, entries[0].InUse, [.. entries.Select(e => CountyView.Of(e, counties))]);
    }

    private Result<Region> Find(string regionCode)
    {
        if (regionCode.Length is not (6 or 9 or 12) || !regionCode.All(char.IsAsciiDigit))
        {
            return Refusal.Invalid("regionCode", "region.code-format",
                "A region code has 6 digits (city, district), 9 (street, town) or 12 (community, village).");
        }

        return regions.TryGet(regionCode, out var region)
            ? region
            : NotFound("regionCode", "region.exists", $"No region of the city has the code {regionCode}.");
    }

    // 404 with the field and the rule, as the validation problems name them, so the page can treat both alike.
    private static Refusal NotFound(string field, string rule, string detail) =>
        Refusal.NotFound(detail) with { Rule = rule, Violations = [new RuleViolation(field, rule, detail)] };
}
