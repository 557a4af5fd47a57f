namespace PopInfo.Testing;

/// <summary>Memory of a process from /proc/&lt;pid&gt;/status, in kB as the kernel reports it.</summary>
/// <remarks>PSS (from smaps_rollup) shares each page among the processes mapping it: the six services map the same framework files, so their PSS adds up to what they cost the machine.</remarks>
public readonly record struct ProcessMemory(long RssKb, long HwmKb, long AnonKb, long FileKb, long ShmemKb, long PssKb, int Threads)
{
    public static ProcessMemory Read(int pid)
    {
        long Value(string[] lines, string key) =>
            lines.Where(l => l.StartsWith(key + ":", StringComparison.Ordinal))
                .Select(l => long.Parse(l[(key.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture))
                .FirstOrDefault();

        var status = File.ReadAllLines($"/proc/{pid}/status");
        var rollup = File.Exists($"/proc/{pid}/smaps_rollup") ? File.ReadAllLines($"/proc/{pid}/smaps_rollup") : [];
        return new ProcessMemory(Value(status, "VmRSS"), Value(status, "VmHWM"), Value(status, "RssAnon"), Value(status, "RssFile"),
            Value(status, "RssShmem"), Value(rollup, "Pss"), (int)Value(status, "Threads"));
    }

    public static string Mb(long kb) => $"{kb / 1024.0:0.0}";

    public override string ToString() =>
        $"VmRSS {Mb(RssKb)} MB (anon {Mb(AnonKb)}, file {Mb(FileKb)}, shmem {Mb(ShmemKb)}), VmHWM {Mb(HwmKb)} MB, PSS {Mb(PssKb)} MB, {Threads} threads";
}
