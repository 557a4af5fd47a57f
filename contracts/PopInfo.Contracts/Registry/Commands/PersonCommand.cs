namespace PopInfo.Contracts.Registry.Commands;

/// <summary>A command on a person already in the register.</summary>
public abstract record PersonCommand : RegistryCommand
{
    /// <summary>The version of the person the sender saw; a stale one is refused as a conflict (409).</summary>
    public int? ExpectedVersion { get; init; }
}
