using Microsoft.AspNetCore.Http;
using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.UnitTests.Problems;

public sealed class RequestTextGuardTests
{
    private static List<(string Field, string Rule)> Check(string query, params (string Name, string Value)[] route)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        foreach (var (name, value) in route)
        {
            context.Request.RouteValues[name] = value;
        }

        return [.. RequestTextGuard.Check(context.Request).Select(v => (v.Field, v.Rule))];
    }

    [Fact]
    public void Plain_route_values_and_query_parameters_pass() =>
        Assert.Empty(Check("?name=%E7%8E%8B%E8%8A%B3&limit=20", ("idNumber", "32020519900307002X")));

    [Fact]
    public void A_poisoned_route_value_or_query_value_is_named_by_its_parameter()
    {
        Assert.Equal([("userName", "text.control-character")], Check("", ("userName", "ad\u0007min")));
        Assert.Equal([("name", "text.bidi-override"), ("communityCode", "text.control-character")],
            Check("?name=%E2%80%AEabc&communityCode=3202%000&day=2026-01-01"));
    }

    [Fact]
    public void A_poisoned_query_parameter_name_is_named_query_and_its_values_are_not_repeated() =>
        Assert.Equal([("query", "text.noncharacter")], Check("?na%EF%BF%BEme=%00"));

    [Fact]
    public void A_line_break_is_refused_in_a_query_parameter() =>
        Assert.Equal([("reason", "text.control-character")], Check("?reason=a%0Ab"));
}
