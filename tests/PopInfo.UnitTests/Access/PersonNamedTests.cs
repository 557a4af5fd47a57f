using PopInfo.Domain.Access;

namespace PopInfo.UnitTests.Access;

public class PersonNamedTests
{
    [Fact]
    public void Exactly_one_of_person_id_and_identity_number_and_the_number_valid_and_normalised()
    {
        Assert.Equal(("personId", PersonNamed.Required), Pair(PersonNamed.Check(null, null)));
        Assert.Equal(("idNumber", PersonNamed.OneOf), Pair(PersonNamed.Check(Guid.NewGuid(), "11010519491231002X")));
        Assert.Equal((null, null), Pair(PersonNamed.Check(Guid.NewGuid(), null)));
        Assert.Equal("11010519491231002X", PersonNamed.Check(null, "11010519491231002x").IdNumber);
        var bad = PersonNamed.Check(null, "110105194912310021");
        Assert.Equal("idNumber", bad.Field);
        Assert.NotNull(bad.Rule);
        Assert.DoesNotContain("110105194912310021", bad.Message!, StringComparison.Ordinal);
        Assert.Null(bad.IdNumber);
    }

    private static (string? Field, string? Rule) Pair((string? Field, string? Rule, string? Message, string? IdNumber) check) => (check.Field, check.Rule);
}
