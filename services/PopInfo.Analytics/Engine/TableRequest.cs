using System.Globalization;
using PopInfo.Domain.Regions;
using PopInfo.ServiceDefaults.Outcomes;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.Analytics.Engine;

/// <summary>A table as a planner asks for it, in the API's words (query-string values), before it is checked.</summary>
public sealed record TableRequest(
    string? Rows, string? Columns, IReadOnlyList<string>? Filters, string? Region, string? AsOf, string? Basis);

/// <summary>A checked table request.</summary>
public sealed record TableSpec(
    IReadOnlyList<Dimension> Rows, IReadOnlyList<Dimension> Columns, IReadOnlyList<(Dimension Dimension, IReadOnlySet<string> Codes)> Filters,
    Region Region, DateOnly AsOf, TimeBasis Basis)
{
    /// <summary>The most dimensions a table may have (rows and columns together).</summary>
    public const int MaxDimensions = 4;

    /// <summary>The most cells a table may have.</summary>
    public const int MaxCells = 250_000;

    /// <summary>The earliest date a table may be asked for.</summary>
    public static readonly DateOnly EarliestDate = new(1900, 1, 1);

    public IEnumerable<Dimension> AllDimensions => Rows.Concat(Columns);

    /// <summary>Checks a request; every broken rule is named with its field.</summary>
    public static Result<TableSpec> From(TableRequest request, RegionCatalogue regions, DateOnly today)
    {
        var violations = new List<RuleViolation>();
        var region = Check.Region(request.Region, regions, violations);
        var rows = Check.DimensionList("rows", request.Rows, region, regions, violations);
        var columns = Check.DimensionList("columns", request.Columns, region, regions, violations);
        var asOf = Check.Date("asOf", request.AsOf, today, violations);
        var basis = Check.Basis(request.Basis, violations);

        var all = rows.Concat(columns).ToList();
        if (all.Count == 0 && violations.Count == 0)
        {
            violations.Add(new("rows", "table.dimensions", "Name at least one dimension in rows or columns."));
        }

        if (all.Count > MaxDimensions)
        {
            violations.Add(new("columns", "table.dimensions", $"A table has at most {MaxDimensions} dimensions (rows and columns together)."));
        }

        if (all.GroupBy(d => d.Kind).FirstOrDefault(g => g.Count() > 1) is { } repeated)
        {
            violations.Add(new("columns", "dimension.repeated", $"{repeated.First().Name} is named twice."));
        }

        var cells = all.Aggregate(1L, (n, d) => n * Math.Max(1, d.Categories.Count));
        if (cells > MaxCells)
        {
            violations.Add(new("columns", "table.size", $"The table would have {cells:N0} cells; at most {MaxCells:N0}. Choose a smaller region or fewer dimensions."));
        }

        var filters = new List<(Dimension, IReadOnlySet<string>)>();
        foreach (var filter in request.Filters ?? [])
        {
            if (Check.Filter(filter, region, regions, violations) is { } parsed)
            {
                if (filters.Any(f => f.Item1.Kind == parsed.Item1.Kind))
                {
                    violations.Add(new("filter", "filter.repeated", $"{parsed.Item1.Name} is filtered twice; list its codes in one filter."));
                }

                filters.Add(parsed);
            }
        }

        return violations.Count > 0
            ? Refusal.Invalid(violations)
            : Result.Ok(new TableSpec(rows, columns, filters, region!, asOf, basis));
    }

    /// <summary>The checks the table, indicator and series requests share.</summary>
    public static class Check
    {
        public static Region? Region(string? code, RegionCatalogue regions, List<RuleViolation> violations)
        {
            code = string.IsNullOrEmpty(code) ? regions.CityCode : code;
            if (regions.TryGet(code, out var region))
            {
                return region;
            }

            violations.Add(new("region", "region.known", "region is the code of the city, a district, a street or a community of the city."));
            return null;
        }

        public static DateOnly Date(string field, string? text, DateOnly today, List<RuleViolation> violations)
        {
            if (string.IsNullOrEmpty(text))
            {
                return today;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                violations.Add(new(field, "date.format", $"{field} is a date yyyy-MM-dd."));
                return today;
            }

            if (date > today)
            {
                violations.Add(new(field, "date.future", $"{field} is today ({today:yyyy-MM-dd}, China time) or earlier."));
            }
            else if (date < EarliestDate)
            {
                violations.Add(new(field, "date.range", $"{field} is {EarliestDate:yyyy-MM-dd} or later."));
            }

            return date;
        }

        public static TimeBasis Basis(string? text, List<RuleViolation> violations)
        {
            switch (text)
            {
                case null or "" or "occurred":
                    return TimeBasis.Occurred;
                case "recorded":
                    return TimeBasis.Recorded;
                default:
                    violations.Add(new("basis", "basis.known", "basis is 'occurred' (the city as it was, the default) or 'recorded' (as the register knew it then)."));
                    return TimeBasis.Occurred;
            }
        }

        public static List<Dimension> DimensionList(string field, string? text, Region? region, RegionCatalogue regions, List<RuleViolation> violations)
        {
            var result = new List<Dimension>();
            foreach (var name in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Dimensions.ByName.TryGetValue(name, out var kind))
                {
                    violations.Add(new(field, "dimension.known", $"'{Clip(name)}' is not a dimension; one of: {string.Join(", ", Dimensions.ByName.Keys)}."));
                    continue;
                }

                if (region is not null)
                {
                    var dimension = Dimensions.Of(kind, region, regions);
                    if (dimension.Categories.Count == 0)
                    {
                        violations.Add(new(field, "dimension.level", $"{name} lies above or at the level of region {region.Code}; choose a finer one."));
                        continue;
                    }

                    result.Add(dimension);
                }
            }

            return result;
        }

        public static (Dimension, IReadOnlySet<string>)? Filter(string text, Region? region, RegionCatalogue regions, List<RuleViolation> violations)
        {
            var parts = text.Split(':', 2);
            if (parts.Length != 2 || parts[1].Length == 0)
            {
                violations.Add(new("filter", "filter.format", "A filter is dimension:code[,code…], e.g. sex:2 or education:20,21."));
                return null;
            }

            if (!Dimensions.ByName.TryGetValue(parts[0], out var kind))
            {
                violations.Add(new("filter", "dimension.known", $"'{Clip(parts[0])}' is not a dimension; one of: {string.Join(", ", Dimensions.ByName.Keys)}."));
                return null;
            }

            if (region is null)
            {
                return null;
            }

            var dimension = Dimensions.Of(kind, regions.TryGet(regions.CityCode, out var city) ? city : region, regions);
            var codes = parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            var unknown = codes.Where(c => dimension.Categories.All(k => k.Code != c)).ToList();
            if (unknown.Count > 0 || codes.Count == 0)
            {
                violations.Add(new("filter", "category.known", $"{parts[0]} has no category '{Clip(unknown.FirstOrDefault() ?? "")}'."));
                return null;
            }

            return (dimension, codes);
        }

        private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
    }
}
