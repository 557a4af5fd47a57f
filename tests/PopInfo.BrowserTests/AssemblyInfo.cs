// One embedded host on fixed ports and one browser for the whole assembly: its tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
