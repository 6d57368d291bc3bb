// Every class starts a ZooKeeper and several server processes on 2 shared cores: one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
