namespace PopInfo.Contracts.Registry;

/// <summary>The values of <see cref="PersonChanged.ChangeType"/>. New values may be added; consumers must ignore unknown ones.</summary>
public static class ChangeTypes
{
    /// <summary>A person was entered in the register (an existing resident not yet recorded).</summary>
    public const string Registered = "registered";

    /// <summary>A newborn was registered.</summary>
    public const string Born = "born";

    /// <summary>A death was registered.</summary>
    public const string Died = "died";

    /// <summary>The person moved to another address within the city.</summary>
    public const string MovedWithinCity = "moved-within-city";

    /// <summary>The person moved out of the city.</summary>
    public const string MovedOut = "moved-out";

    /// <summary>A registered resident from outside the city moved in (户籍迁入).</summary>
    public const string MovedIn = "moved-in";

    /// <summary>A migrant (流动人口) arrived in the city.</summary>
    public const string MigrantArrived = "migrant-arrived";

    /// <summary>A migrant left the city.</summary>
    public const string MigrantDeparted = "migrant-departed";

    /// <summary>Personal details were corrected.</summary>
    public const string Corrected = "corrected";

    /// <summary>The person's household or relationship to its head changed.</summary>
    public const string HouseholdChanged = "household-changed";

    /// <summary>Every defined change type.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Registered, Born, Died, MovedWithinCity, MovedOut, MovedIn, MigrantArrived, MigrantDeparted, Corrected, HouseholdChanged];
}
