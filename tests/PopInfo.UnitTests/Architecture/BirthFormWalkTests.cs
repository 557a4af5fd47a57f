using System.Text.RegularExpressions;
using PopInfo.Collection.Forms;
using PopInfo.Exchange.Delivery;
using PopInfo.Registry.Commands;
using PopInfo.ServiceDefaults.Messaging;

namespace PopInfo.UnitTests.Architecture;

/// <summary>
/// docs/architecture.md walks one birth form from the desk to a department's queue in at most seven steps, each a file a
/// reader can open: the walk stays that short, and every file it names is a type the code still has.
/// </summary>
public sealed partial class BirthFormWalkTests
{
    private static readonly string Document = Path.Combine(AppContext.BaseDirectory, "Architecture", "architecture.md");

    [Fact]
    public void The_walk_has_at_most_seven_steps_each_naming_a_type_of_the_code()
    {
        var text = File.ReadAllText(Document);
        var start = text.IndexOf("## One birth form, from the desk to a department's queue", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no birth-form walk");
        var end = text.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        var walk = text[start..end];

        var steps = Step().Matches(walk).Select(m => m.Groups["file"].Value).ToList();
        Assert.InRange(steps.Count, 1, 7);

        Type[] anchors = [typeof(FormService), typeof(PersonCommands), typeof(AmqpDeliveryRelay), typeof(BusRegistration)];
        var types = anchors.Select(a => a.Assembly).Distinct().SelectMany(a => a.GetTypes()).Select(t => t.Name.Split('`')[0]).ToHashSet();
        Assert.All(steps, file => Assert.Contains(Path.GetFileNameWithoutExtension(file), types));
    }

    // "1. **The desk takes the form** — `services/…/FormService.cs`"
    [GeneratedRegex(@"^\d\. \*\*[^*]+\*\* — `(?<file>(services|contracts)/[^`]+\.cs)`", RegexOptions.Multiline)]
    private static partial Regex Step();
}
