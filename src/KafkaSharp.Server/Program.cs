using KafkaSharp.Server;

// kafka-server-start.sh's interface: [server.properties] [--override key=value]..., plus --log-level.
return await KafkaServer.RunAsync(args, CancellationToken.None).ConfigureAwait(false);
