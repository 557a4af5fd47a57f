using PopInfo.ServiceDefaults.Problems;
using PopInfo.ServiceDefaults.Outcomes;

namespace PopInfo.UnitTests.Outcomes;

public sealed class ResultTests
{
    [Fact]
    public void A_value_converts_to_a_result_that_succeeded()
    {
        Result<string> result = "answer";

        Assert.Equal((true, "answer", (Refusal?)null), (result.Succeeded, result.Value, result.Refusal));
    }

    [Fact]
    public void A_refusal_converts_to_a_result_that_did_not_succeed()
    {
        var refusal = Refusal.NotFound("No form 7.");

        Result<string> result = refusal;

        Assert.Equal((false, (string?)null, refusal), (result.Succeeded, result.Value, result.Refusal));
    }

    [Fact]
    public void A_refusal_is_passed_on_as_a_result_of_another_type()
    {
        Result<string> refused = Refusal.Conflict("day", "day.closed", "The day was closed.");

        var passedOn = refused.As<int>();

        Assert.Same(refused.Refusal, passedOn.Refusal);
    }

    [Fact]
    public void A_result_that_succeeded_has_no_refusal_to_pass_on()
    {
        Result<string> answered = "answer";

        Assert.Throws<InvalidOperationException>(() => answered.As<int>());
    }

    [Fact]
    public void Facts_are_kept_in_the_order_they_are_added()
    {
        var refusal = Refusal.NotFound("No street 1.").With("b", 2).With("a", 1);

        Assert.Equal(["b", "a"], refusal.Facts.Select(f => f.Key));
    }

    [Fact]
    public void A_validation_names_each_field_and_rule()
    {
        var refusal = Refusal.Invalid("day", "date.format", "A day is written yyyy-MM-dd.");

        Assert.Equal(RefusalKind.Invalid, refusal.Kind);
        Assert.Equal([new RuleViolation("day", "date.format", "A day is written yyyy-MM-dd.")], refusal.Violations);
    }
}
