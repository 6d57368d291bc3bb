// The suite and the differential run each start brokers and many client processes: one at a time on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
