using PopInfo.ServiceDefaults.Problems;

namespace PopInfo.ServiceDefaults.Outcomes;

/// <summary>
/// What the application answers: a value, or a <see cref="Refusal"/> saying why not. The one result type of every
/// service (docs/architecture.md, conventions); it carries no HTTP. A method returns a value or a refusal as it is:
/// both convert to the result.
/// </summary>
public sealed record Result<T>
{
    internal Result(T? value, Refusal? refusal)
    {
        Value = value;
        Refusal = refusal;
    }

    /// <summary>The value of a result that succeeded (default when refused).</summary>
    public T? Value { get; }

    /// <summary>Why not, when refused (null when it succeeded).</summary>
    public Refusal? Refusal { get; }

    public bool Succeeded => Refusal is null;

    /// <summary>The rules a refused request broke (none when it succeeded, or was refused for another reason).</summary>
    public IReadOnlyList<RuleViolation> Violations => Refusal?.Violations ?? [];

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Refusal refusal) => new(default, refusal ?? throw new ArgumentNullException(nameof(refusal)));

    /// <summary>The same refusal as a result of another type (a refused step of a longer answer).</summary>
    public Result<TOther> As<TOther>() =>
        Refusal is { } refusal ? new Result<TOther>(default, refusal) : throw new InvalidOperationException("A result that succeeded has no refusal to pass on.");
}

/// <summary>Makes <see cref="Result{T}"/> values where a conversion does not read well (a value of an interface type).</summary>
public static class Result
{
    public static Result<T> Ok<T>(T value) => new(value, null);

    public static Result<T> Refused<T>(Refusal refusal) => new(default, refusal ?? throw new ArgumentNullException(nameof(refusal)));
}
