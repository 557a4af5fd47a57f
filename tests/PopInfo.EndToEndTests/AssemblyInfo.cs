// These tests stop the broker and kill processes: they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
