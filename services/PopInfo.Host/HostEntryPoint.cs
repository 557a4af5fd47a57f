namespace PopInfo.Host;

/// <summary>Names the embedded host's assembly for in-process test hosts (<c>WebApplicationFactory&lt;HostEntryPoint&gt;</c>).</summary>
public sealed class HostEntryPoint;
