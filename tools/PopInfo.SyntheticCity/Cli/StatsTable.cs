using PopInfo.SyntheticCity.Generation;
using Spectre.Console;

namespace PopInfo.SyntheticCity.Cli;

/// <summary>The generated city next to the census figures it is meant to resemble.</summary>
internal static class StatsTable
{
    public static void Write(CityStatistics s, long datesMoved)
    {
        var table = new Table().AddColumns("measure", "generated", "Wuxi 2020 census");
        table.AddRow("sex ratio (men per 100 women)", $"{s.SexRatio:F2}", "106.52");
        table.AddRow("aged 0–14", $"{s.AgeShare(0, 14):P2}", "13–14 %");
        table.AddRow("aged 0 / 1 / 2 / 3 / 4 / 5 … 9 (single years)",
            string.Join(" / ", Enumerable.Range(0, 10).Select(a => $"{s.AgeShare(a, a) * 100:F2}")) + " %",
            "under one about 0.6 % (births 6–8 ‰)");
        table.AddRow("aged 15–59", $"{s.AgeShare(15, 59):P2}", "about 70 %");
        table.AddRow("aged 60+", $"{s.AgeShare(60, 200):P2}", "16–17 %");
        table.AddRow("aged 65+", $"{s.AgeShare(65, 200):P2}", "about 12 %");
        table.AddRow("migrants", $"{s.MigrantShare:P2}", "about 32 % (7.46 M residents, 5.09 M registered)");
        table.AddRow("family households", $"{s.FamilyHouseholds:N0}, {s.AverageFamilySize:F2} people each", "2.56 people each");
        table.AddRow("collective households", $"{s.CollectiveHouseholds:N0}, {s.CollectiveMembers / (double)Math.Max(1, s.People):P2} of people", "7.75 % of people");
        table.AddRow("family households of 1 / 2 / 3 / 4 / 5 / 6+",
            string.Join(" / ", Enumerable.Range(1, 5).Select(n => $"{s.FamilySizeShare(n):P0}")) + $" / {Enumerable.Range(6, 4).Sum(s.FamilySizeShare):P0}",
            "26 / 31 / 21 / 12 / 6 / 4 % (Jiangsu)");
        table.AddRow("mobile number, over 12", $"{s.OverTwelveWithPhone / (double)Math.Max(1, s.OverTwelve):P1}", "about 85 % (target)");
        table.AddRow("ethnic minorities", $"{s.NonHan / (double)Math.Max(1, s.People):P2}", "about 1–2 %");
        table.AddRow("birth dates moved for a free sequence", $"{datesMoved:N0}", "—");
        foreach (var (district, people) in s.ByDistrict.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var profile = Districts.Get(district);
            table.AddRow($"district {district}", $"{people / (double)Math.Max(1, s.People):P1}", $"{profile.PopulationWeight / 100.0:F1} %");
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Events per year by when they happened, and the population on each 1 January.</summary>
    public static void WriteHistory(HistoryStatistics h)
    {
        var table = new Table().AddColumn("year (China time)");
        table.AddColumn("living here on 1 Jan (registered / migrants)", c => c.RightAligned());
        foreach (var type in HistoryStatistics.Events)
        {
            table.AddColumn(type, c => c.RightAligned());
        }

        for (var year = h.FirstYear; year <= h.LastYear; year++)
        {
            var (moment, all, registered, migrants) = h.PopulationAtStartOf(year);
            var row = new List<string>
            {
                year == h.FirstYear ? $"{year} (from {moment.ToOffset(TimeSpan.FromHours(8)):d MMM})" : year == h.LastYear ? $"{year} (to the reference date)" : $"{year}",
                $"{all:N0} ({registered:N0} / {migrants:N0})",
            };
            row.AddRange(HistoryStatistics.Events.Select(type => $"{h.Count(year, type):N0} ({h.PerMille(year, type):F1} ‰)"));
            table.AddRow([.. row]);
        }

        table.AddRow(["targets", "about flat", "6–8 ‰", "≈ 8 ‰", "≈ departures", "≈ arrivals", "a few %",
            $"{HistoryRates.MovedInPerMilleYear} ‰ of registered", $"{HistoryRates.MovedOutPerMilleYear} ‰ of registered"]);
        AnsiConsole.Write(table);

        var registeredTable = new Table().AddColumns("registered residents", "born", "died", "moved in", "moved out");
        for (var year = h.FirstYear; year <= h.LastYear; year++)
        {
            registeredTable.AddRow([$"{year}", .. new[] { "born", "died", "moved-in", "moved-out" }.Select(type =>
                $"{h.CountRegistered(year, type):N0} ({h.PerMille(year, type, registeredOnly: true):F2} ‰)")]);
        }

        registeredTable.AddRow("census 2020 (registered)", "7.75 ‰", "7.91 ‰", "—", "—");
        AnsiConsole.Write(registeredTable);
        AnsiConsole.MarkupLine($"No longer there: {h.Deceased:N0} deceased, {h.Departed:N0} migrants departed, {h.MovedOut:N0} registered residents moved out; " +
            $"{h.Versions:N0} versions for {h.People:N0} people; versions before birth: {h.BeforeBirth:N0}. Rates are per 1,000 living here on 1 January (2020: at the census).");
    }
}
