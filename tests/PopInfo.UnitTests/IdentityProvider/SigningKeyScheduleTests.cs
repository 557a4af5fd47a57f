using PopInfo.Identity.Clients;
using PopInfo.Identity.Server;
using static PopInfo.Identity.Server.SigningKeySchedule;

namespace PopInfo.UnitTests.IdentityProvider;

/// <summary>When the provider's keys are made, sign, and leave the key set; how long a rotated client secret works on.</summary>
public sealed class SigningKeyScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    private static readonly TimeSpan Ahead = TimeSpan.FromHours(13);
    private static readonly TimeSpan Retention = SigningKeySchedule.Retention(TimeSpan.FromHours(8), TimeSpan.FromSeconds(55));

    private static KeyTimes Key(string id, DateTimeOffset activateAt, DateTimeOffset? retireAt = null, DateTimeOffset? createdAt = null) =>
        new(id, Signing, createdAt ?? activateAt, activateAt, retireAt);

    [Fact]
    public void The_first_key_activates_at_once()
    {
        Assert.Equal(T0, SuccessorDue([], T0, Lifetime, Ahead));
    }

    [Fact]
    public void A_successor_is_made_the_publish_ahead_time_before_the_lifetime_ends_and_activates_at_the_end()
    {
        KeyTimes[] keys = [Key("a", T0)];
        var end = T0 + Lifetime;
        Assert.Null(SuccessorDue(keys, end - Ahead - TimeSpan.FromSeconds(1), Lifetime, Ahead));
        Assert.Equal(end, SuccessorDue(keys, end - Ahead, Lifetime, Ahead));
        // Once made, the newest key is the successor: nothing more is due.
        Assert.Null(SuccessorDue([.. keys, Key("b", end, createdAt: end - Ahead)], end - Ahead, Lifetime, Ahead));
    }

    [Fact]
    public void A_successor_made_late_is_still_published_the_whole_publish_ahead_time_before_it_signs()
    {
        var late = T0 + Lifetime + TimeSpan.FromDays(3);
        Assert.Equal(late + Ahead, SuccessorDue([Key("a", T0)], late, Lifetime, Ahead));
    }

    [Fact]
    public void The_active_key_comes_first_then_the_published_successor_then_earlier_keys_until_they_retire()
    {
        var b = T0 + Lifetime;
        KeyTimes[] keys = [Key("a", T0), Key("b", b, createdAt: b - Ahead)];

        Assert.Equal(["a", "b"], InUse(keys, b - Ahead, Retention).Select(k => k.KeyId));
        Assert.Equal(["b", "a"], InUse(keys, b, Retention).Select(k => k.KeyId));
        Assert.Equal(["b", "a"], InUse(keys, b + Retention - TimeSpan.FromSeconds(1), Retention).Select(k => k.KeyId));
        Assert.Equal(["b"], InUse(keys, b + Retention, Retention).Select(k => k.KeyId));
    }

    [Fact]
    public void A_stored_retirement_earlier_than_the_successors_retention_wins()
    {
        var now = T0 + TimeSpan.FromDays(1);
        KeyTimes[] keys = [Key("a", T0, retireAt: now), Key("b", now)];
        Assert.Equal(["b"], InUse(keys, now, Retention).Select(k => k.KeyId));
        Assert.Equal(now, EffectiveRetirement(keys, 0, Retention));
        Assert.Null(EffectiveRetirement(keys, 1, Retention));
    }

    [Fact]
    public void Retention_outlasts_a_refresh_token()
    {
        Assert.True(Retention > TimeSpan.FromHours(8));
    }

    [Theory]
    [InlineData(30 * 24, 13, true)]
    [InlineData(24, 2, true)]
    [InlineData(30 * 24, 1, false)]
    [InlineData(12, 2, false)]
    [InlineData(366 * 24, 13, false)]
    [InlineData(24, 24, false)]
    [InlineData(30 * 24, 8 * 24, false)]
    public void Rotation_settings_are_checked(int lifetimeHours, int aheadHours, bool valid)
    {
        Assert.Equal(valid, SigningKeySchedule.Problems(TimeSpan.FromHours(lifetimeHours), TimeSpan.FromHours(aheadHours)).Count == 0);
    }

    [Theory]
    [InlineData(null, 24 * 60)]
    [InlineData(0, 0)]
    [InlineData(90, 90)]
    [InlineData(7 * 24 * 60, 7 * 24 * 60)]
    public void A_rotated_secret_works_on_for_the_overlap_asked_or_a_day(int? asked, int minutes)
    {
        var (overlap, violation) = DepartmentClients.OverlapOf(asked);
        Assert.Null(violation);
        Assert.Equal(TimeSpan.FromMinutes(minutes), overlap);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(7 * 24 * 60 + 1)]
    public void An_overlap_out_of_bounds_names_its_field_and_rule(int asked)
    {
        var (_, violation) = DepartmentClients.OverlapOf(asked);
        Assert.Equal(("overlapMinutes", "secret.overlap"), (violation!.Field, violation.Rule));
    }

    [Fact]
    public void Token_rows_stay_at_least_a_refresh_tokens_life()
    {
        Assert.NotNull(TokenPruningOptions.Problem(TimeSpan.FromHours(8)));
        Assert.Null(TokenPruningOptions.Problem(TimeSpan.FromDays(1)));
        Assert.NotNull(TokenPruningOptions.Problem(TimeSpan.FromDays(91)));
    }
}
