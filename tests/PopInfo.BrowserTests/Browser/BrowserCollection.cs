namespace PopInfo.BrowserTests.Browser;

/// <summary>
/// Every browser test class joins this collection: one Chromium and one embedded host (fixed ports) for all of them.
/// <c>[Collection(BrowserCollection.Name)]</c>, then take <see cref="ChromiumFixture"/> and
/// <see cref="EmbeddedHostFixture"/> in the constructor.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumFixture>, ICollectionFixture<EmbeddedHostFixture>
{
    public const string Name = "Browser";
}
