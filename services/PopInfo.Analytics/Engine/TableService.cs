using PopInfo.Analytics.Projection;
using PopInfo.Analytics.Protection;
using PopInfo.Domain.Regions;
using PopInfo.Domain.Statistics;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.Analytics.Engine;

/// <summary>Builds any table from the index: true counts, margins counted on their own, then protection.</summary>
public sealed class TableService(PopulationIndex index, Disclosure disclosure, ProjectionWatermark watermark, TimeProvider clock)
{
    public DateOnly Today => ChinaTime.Today(clock);

    public Result<TableResult> Build(TableRequest request) => Build(request, protect: true);

    /// <summary>With <paramref name="protect"/> false the true counts: for the service's own tests only, never an endpoint.</summary>
    internal Result<TableResult> Build(TableRequest request, bool protect)
    {
        var checkedSpec = TableSpec.From(request, index.Categories.Regions, Today);
        return checkedSpec.Succeeded ? Result.Ok(Build(checkedSpec.Value!, protect)) : Refusal.Invalid(checkedSpec.Violations);
    }

    internal TableResult Build(TableSpec spec, bool protect) => index.Read(view =>
    {
        var dims = spec.AllDimensions.ToList();
        var full = CountCube(view, spec, dims);
        var rowDims = Enumerable.Range(0, spec.Rows.Count).ToList();
        var colDims = Enumerable.Range(spec.Rows.Count, spec.Columns.Count).ToList();
        var rowTotals = Margin(view, spec, dims, full, rowDims);
        var colTotals = Margin(view, spec, dims, full, colDims);
        var total = Margin(view, spec, dims, full, []);

        var rowCount = spec.Rows.Aggregate(1, (n, d) => n * d.Categories.Count);
        var colCount = spec.Columns.Aggregate(1, (n, d) => n * d.Categories.Count);
        var cells = new long[rowCount][];
        for (var r = 0; r < rowCount; r++)
        {
            cells[r] = new long[colCount];
            for (var c = 0; c < colCount; c++)
            {
                var i = r * colCount + c;
                cells[r][c] = Publish(full.Counts[i], full.Keys[i]);
            }
        }

        return new TableResult(
            spec.AsOf,
            spec.Basis == TimeBasis.Occurred ? "occurred" : "recorded",
            new Category(spec.Region.Code, spec.Region.Name, spec.Region.Code),
            [.. spec.Rows.Select(d => new DimensionHeader(d.Name, d.Categories))],
            [.. spec.Columns.Select(d => new DimensionHeader(d.Name, d.Categories))],
            [.. spec.Filters.Select(f => $"{f.Dimension.Name}:{string.Join(',', f.Codes.Order(StringComparer.Ordinal))}")],
            Keys(spec.Rows),
            Keys(spec.Columns),
            cells,
            [.. Enumerable.Range(0, rowCount).Select(r => Publish(rowTotals.Counts[r], rowTotals.Keys[r]))],
            [.. Enumerable.Range(0, colCount).Select(c => Publish(colTotals.Counts[c], colTotals.Keys[c]))],
            Publish(total.Counts[0], total.Keys[0]),
            protect ? disclosure.Applied : ProtectionApplied.None,
            watermark.Current);

        long Publish(long count, uint key) => protect ? disclosure.Publish(count, key) : count;
    });

    /// <summary>The counts of every combination of <paramref name="dims"/>' categories (row-major, last fastest).</summary>
    internal CellCounts CountCube(PopulationIndex.IndexView view, TableSpec spec, IReadOnlyList<Dimension> dims, IReadOnlyList<Dimension>? summedOut = null)
    {
        var strides = new int[dims.Count];
        var cells = 1;
        for (var d = dims.Count - 1; d >= 0; d--)
        {
            strides[d] = cells;
            cells *= dims[d].Categories.Count;
        }

        var day = spec.AsOf.DayNumber;
        var filters = spec.Filters.Select(f => Binding.For(f.Dimension, index.Categories, day, view.EarliestBirthDay, 0, f.Codes)).ToList();
        // A dimension summed out of a margin still keeps its table's people: those with some category in it (migrants
        // for an origin, the born for an age).
        filters.AddRange((summedOut ?? []).Select(d => Binding.For(d, index.Categories, day, view.EarliestBirthDay, 0, d.Categories.Select(c => c.Code).ToHashSet(StringComparer.Ordinal))));
        var universe = RowsOf(spec.Region);
        // The city and its districts read the day's view (one packed word per person); streets and communities read
        // their communities' rows, which are fewer. Household size is not in the view.
        var fromView = spec.Region.Level is RegionLevel.City or RegionLevel.District
            && ViewCounter.CanCount(filters) && dims.All(d => d.Kind != DimensionKind.HouseholdSize);
        if (fromView && spec.Region.Level == RegionLevel.District)
        {
            filters.Add(WithinRegion(universe.Communities!));
        }

        // A person is in several of the planners' age groups: such a dimension is counted group by group.
        var overlapping = dims.Select((d, i) => (d, i)).Where(p => p.d.Overlapping).Select(p => p.i).ToList();
        var result = new CellCounts(cells);
        var groups = overlapping.Count == 0 ? [-1] : Enumerable.Range(0, dims[overlapping[0]].Categories.Count).ToArray();
        foreach (var group in groups)
        {
            var bindings = dims.Select((d, i) => Binding.For(d, index.Categories, day, view.EarliestBirthDay, strides[i], onlyGroup: d.Overlapping ? group : null)).ToList();
            bindings.AddRange(filters);
            result.Add(fromView
                ? ViewCounter.Count(view.DayView(day, spec.Basis), view.Layout, bindings, cells)
                : Counter.Count(view, universe, day, spec.Basis, bindings, cells));
        }

        return result;
    }

    // A filter keeping the people of some communities.
    private Binding WithinRegion(int[] communities)
    {
        var lookup = new int[index.Categories.Communities.Count];
        Array.Fill(lookup, -1);
        foreach (var c in communities)
        {
            lookup[c] = 0;
        }

        return new Binding(Source.Community, lookup, 0, 0);
    }

    // The margin over the dimensions kept: summed from the full counts (keys add like counts), or counted again when an
    // overlapping dimension is summed out (a person in 60+ and 65+ is one person in the total).
    private CellCounts Margin(PopulationIndex.IndexView view, TableSpec spec, List<Dimension> dims, CellCounts full, IReadOnlyList<int> kept)
    {
        var keptDims = kept.Select(i => dims[i]).ToList();
        if (dims.Where((d, i) => d.Overlapping && !kept.Contains(i)).Any())
        {
            return CountCube(view, spec, keptDims, [.. dims.Where((_, i) => !kept.Contains(i))]);
        }

        var size = keptDims.Aggregate(1, (n, d) => n * d.Categories.Count);
        var margin = new CellCounts(size);
        var counts = dims.Select(d => d.Categories.Count).ToArray();
        var keptArray = kept.ToArray();
        var position = new int[dims.Count];
        for (var i = 0; i < full.Counts.Length; i++)
        {
            var target = 0;
            for (var k = 0; k < keptArray.Length; k++)
            {
                target = target * counts[keptArray[k]] + position[keptArray[k]];
            }

            margin.Counts[target] += full.Counts[i];
            margin.Keys[target] += full.Keys[i];
            for (var d = dims.Count - 1; d >= 0 && ++position[d] == counts[d]; d--)
            {
                position[d] = 0;
            }
        }

        return margin;
    }

    /// <summary>Every dimension with its categories (the region dimensions with the whole city's regions).</summary>
    public IReadOnlyList<DimensionHeader> DimensionCatalogue()
    {
        var regions = index.Categories.Regions;
        var city = regions.All.First(r => r.Level == RegionLevel.City);
        return [.. Dimensions.ByName.Values.Select(k => Dimensions.Of(k, city, regions)).Select(d => new DimensionHeader(d.Name, d.Categories))];
    }

    /// <summary>The rows a region's tables read: the whole index for the city, else its communities' rows.</summary>
    internal Counter.Rows RowsOf(Region region) => region.Level == RegionLevel.City
        ? Counter.Rows.All
        : new Counter.Rows(index.Categories.CommunitiesWithin(region.Code));

    private static IReadOnlyList<IReadOnlyList<string>> Keys(IReadOnlyList<Dimension> dims)
    {
        IEnumerable<IReadOnlyList<string>> combos = [[]];
        foreach (var d in dims)
        {
            combos = combos.SelectMany(prefix => d.Categories.Select(c => (IReadOnlyList<string>)[.. prefix, c.Code]));
        }

        return [.. combos];
    }
}
