using PopInfo.Domain.Records;

namespace PopInfo.UnitTests.Records;

public class HouseholdRulesTests
{
    [Fact]
    public void Only_the_head_code_joins_as_head()
    {
        Assert.True(HouseholdRules.JoinsAsHead("02"));
        Assert.False(HouseholdRules.JoinsAsHead("10"));
        Assert.False(HouseholdRules.JoinsAsHead(null));
    }

    [Fact]
    public void A_household_joined_exists_then_has_at_most_one_living_head()
    {
        Assert.Null(HouseholdRules.CheckJoin(householdExists: true, anotherLivingHead: false));
        Assert.Equal(new RuleBreach("householdId", "household.exists", "The household is not in the register."), HouseholdRules.CheckJoin(false, false));
        Assert.Equal(new RuleBreach("relationshipToHead", "household.one-head", "The household already has a living head."), HouseholdRules.CheckJoin(true, true));
    }

    [Fact]
    public void Leaving_a_household_leaves_no_relationship_to_its_head()
    {
        Assert.Null(HouseholdRules.RelationshipAfterChange(null, "10"));
        Assert.Equal("10", HouseholdRules.RelationshipAfterChange(Guid.NewGuid(), "10"));
    }
}
