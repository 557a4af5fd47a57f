using PopInfo.Domain.Regions;
using PopInfo.Domain.Sharing;

namespace PopInfo.UnitTests.Sharing;

public class SharingQuestionsTests
{
    private const string Valid = "11010519491231002X";

    [Fact]
    public void A_verification_needs_a_valid_number_and_a_name_and_a_sex_code_when_one_is_given()
    {
        Assert.Empty(SharingQuestions.OfVerification(Valid, "张三", null));
        Assert.Empty(SharingQuestions.OfVerification(Valid, "张三", "2"));
        Assert.Equal([("idNumber", SharingQuestions.IdNumberRule)], Rules(SharingQuestions.OfVerification("110105194912310021", "张三", null)));
        Assert.Equal([("name", SharingQuestions.NameRule)], Rules(SharingQuestions.OfVerification(Valid, "张\u0007三", null)));
        Assert.Equal([("name", SharingQuestions.NameRule)], Rules(SharingQuestions.OfVerification(Valid, new string('张', 65), null)));
        Assert.Equal([("sex", SharingQuestions.SexRule)], Rules(SharingQuestions.OfVerification(Valid, "张三", "3")));
        Assert.DoesNotContain(SharingQuestions.OfVerification("110105194912310021", "张三", null), v => v.Message.Contains("110105194912310021", StringComparison.Ordinal));
    }

    [Fact]
    public void A_look_up_names_a_number_or_a_name_with_a_birth_date_and_perhaps_a_region_of_the_city()
    {
        var regions = RegionCatalogue.Wuxi;
        var birth = new DateOnly(1949, 12, 31);
        Assert.Empty(SharingQuestions.OfLookup(Valid, null, null, null, regions));
        Assert.Empty(SharingQuestions.OfLookup(null, "张三", birth, regions.Communities[0].Code, regions));
        Assert.Equal([("idNumber", SharingQuestions.LookupKeyRule)], Rules(SharingQuestions.OfLookup(Valid, "张三", null, null, regions)));
        Assert.Equal([("birthDate", SharingQuestions.LookupKeyRule)], Rules(SharingQuestions.OfLookup(null, "张三", null, null, regions)));
        Assert.Equal([("name", SharingQuestions.LookupKeyRule)], Rules(SharingQuestions.OfLookup(null, null, birth, null, regions)));
        Assert.Equal([("region", SharingQuestions.RegionRule)], Rules(SharingQuestions.OfLookup(Valid, null, null, "999999", regions)));
    }

    [Fact]
    public void A_household_question_names_a_valid_number_and_a_batch_holds_1_to_1000_items()
    {
        Assert.Empty(SharingQuestions.OfHousehold(Valid));
        Assert.Equal([("idNumber", SharingQuestions.IdNumberRule)], Rules(SharingQuestions.OfHousehold(null)));
        Assert.Null(SharingQuestions.OfBatch(1));
        Assert.Null(SharingQuestions.OfBatch(SharingOperations.MaxBatch));
        Assert.Equal(SharingQuestions.BatchSizeRule, SharingQuestions.OfBatch(SharingOperations.MaxBatch + 1)!.Rule);
        Assert.Equal(SharingQuestions.BatchSizeRule, SharingQuestions.OfBatch(0)!.Rule);
        Assert.Equal(SharingQuestions.BatchSizeRule, SharingQuestions.OfBatch(null)!.Rule);
    }

    private static List<(string Field, string Rule)> Rules(IReadOnlyList<GrantViolation> problems) => [.. problems.Select(p => (p.Field, p.Rule))];
}
