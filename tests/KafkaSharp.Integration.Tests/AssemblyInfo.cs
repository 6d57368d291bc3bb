// Tests measure timings (long poll) and share 2 cores with the server under test: one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
