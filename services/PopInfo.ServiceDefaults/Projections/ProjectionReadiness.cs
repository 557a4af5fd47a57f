namespace PopInfo.ServiceDefaults.Projections;

/// <summary>
/// Completed once a projection's memory holds its store (the start's load or a rebuild): changes wait for it, or one
/// would be lost between the store and a load already past it. Each service derives its own type and registers that:
/// the embedded host holds every service in one container.
/// </summary>
public class ProjectionReadiness
{
    private volatile TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => ready.Task.IsCompleted;

    public Task WaitAsync(CancellationToken ct) => ready.Task.WaitAsync(ct);

    public void SetReady() => ready.TrySetResult();

    /// <summary>
    /// Applies changes once memory holds the store; while the store is not built (<see cref="ProjectionNotBuiltException"/>:
    /// another instance is rebuilding it) tries again every half second, after this instance's follower has reloaded.
    /// </summary>
    public async Task ApplyWhenBuiltAsync(Func<Task> apply, CancellationToken ct)
    {
        while (true)
        {
            await WaitAsync(ct);
            try
            {
                await apply();
                return;
            }
            catch (ProjectionNotBuiltException)
            {
                await Task.Delay(NotBuiltRetry, ct);
            }
        }
    }

    private static readonly TimeSpan NotBuiltRetry = TimeSpan.FromMilliseconds(500);

    public void SetNotReady()
    {
        if (ready.Task.IsCompleted)
        {
            ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
