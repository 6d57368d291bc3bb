#!/usr/bin/env node
// Drives kafkajs against a broker for the integration tests.
//
// usage: node kafkajs_client.js produce BOOTSTRAP TOPIC MESSAGES.json [ACKS] [CODEC] [idempotent]
//        node kafkajs_client.js offsets BOOTSTRAP TOPIC
//        node kafkajs_client.js create-topic BOOTSTRAP TOPIC PARTITIONS
//        node kafkajs_client.js list-topics BOOTSTRAP
//        node kafkajs_client.js group-consume BOOTSTRAP TOPIC GROUP SESSION_MS
//
// MESSAGES.json: [{"partition", "key": hex|null, "value": hex|null, "headers": [[name, hex|null]]}].
// produce prints one JSON line per message, {"partition", "offset"}, in input order; offsets prints
// admin.fetchTopicOffsets as JSON. "idempotent" makes an idempotent producer (kafkajs's idempotent: true: InitProducerId,
// then sequence-numbered batches; it requires acks=all and one request in flight). kafkajs consumers always join a group, so reading back by offset is left to other
// clients. group-consume joins GROUP until stdin closes, then leaves it cleanly. It prints one JSON line per
// assignment, {"event": "assignment", "partitions": [...]}, and one per message after committing it,
// {"event": "record", "partition", "offset", "value": hex}.
//
// kafkajs names its round-robin assignor "RoundRobinAssigner"; the JoinGroup protocol name is what the coordinator
// matches across members, and librdkafka, kafka-python and the Java client call theirs "roundrobin". The same
// assignor under the common name lets kafkajs share a group with them.
'use strict';
const fs = require('fs');
const { Kafka, CompressionTypes, logLevel, PartitionAssigners } = require('kafkajs');

const unhex = (s) => (s === null ? null : Buffer.from(s, 'hex'));
const codecs = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP };

const roundrobin = (options) => ({ ...PartitionAssigners.roundRobin(options), name: 'roundrobin' });
const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

async function groupConsume(kafka, topic, groupId, sessionTimeout) {
  const consumer = kafka.consumer({
    groupId, sessionTimeout, heartbeatInterval: 100, rebalanceTimeout: 10000, partitionAssigners: [roundrobin],
  });
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    emit({ event: 'assignment', partitions: [...(e.payload.memberAssignment[topic] || [])].sort((a, b) => a - b) });
  });
  const stopped = new Promise((resolve) => {
    process.stdin.on('end', resolve);
    process.stdin.resume();
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      emit({ event: 'record', partition, offset: Number(message.offset), value: message.value.toString('hex') });
    },
  });
  await stopped;
  await consumer.disconnect();
  return 0;
}

async function main([command, bootstrap, topic, ...rest]) {
  const kafka = new Kafka({
    clientId: 'kafkasharp-kafkajs', brokers: [bootstrap], logLevel: logLevel.ERROR,
    connectionTimeout: 10000, requestTimeout: 20000, retry: { retries: 3 },
  });
  if (command === 'group-consume') {
    return groupConsume(kafka, topic, rest[0], Number(rest[1]));
  }
  if (command === 'produce') {
    const messages = JSON.parse(fs.readFileSync(rest[0], 'utf8'));
    const acks = rest[1] === undefined || rest[1] === 'all' ? -1 : Number(rest[1]);
    const idempotent = rest[3] === 'idempotent';
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent, ...(idempotent ? { maxInFlightRequests: 1 } : {}) });
    await producer.connect();
    try {
      const out = [];
      // One send per message keeps the reported offset tied to its message.
      for (const m of messages) {
        const headers = {};
        for (const [name, value] of m.headers) headers[name] = unhex(value);
        const [meta] = await producer.send({
          topic, acks, compression: codecs[rest[2] || 'none'],
          messages: [{ partition: m.partition, key: unhex(m.key), value: unhex(m.value), headers }],
        });
        out.push({ partition: meta.partition, offset: Number(meta.baseOffset) });
      }
      for (const r of out) console.log(JSON.stringify(r));
    } finally {
      await producer.disconnect();
    }
    return 0;
  }

  const admin = kafka.admin();
  await admin.connect();
  try {
    if (command === 'offsets') {
      const offsets = await admin.fetchTopicOffsets(topic);
      console.log(JSON.stringify(offsets.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) }))));
    } else if (command === 'create-topic') {
      const created = await admin.createTopics({ topics: [{ topic, numPartitions: Number(rest[0]) }], waitForLeaders: true });
      console.log(JSON.stringify({ created }));
    } else if (command === 'list-topics') {
      console.log(JSON.stringify(await admin.listTopics()));
    } else {
      throw new Error(`unknown command ${command}`);
    }
  } finally {
    await admin.disconnect();
  }
  return 0;
}

// A hard stop, so a hung client can never outlive its test (the test also kills the process tree). A group member
// runs until the test closes its stdin, so it gets longer.
const hardStopS = process.argv[2] === 'group-consume' ? 120 : 45;
setTimeout(() => { console.error(`kafkajs_client: timed out after ${hardStopS} s`); process.exit(3); }, hardStopS * 1000).unref();
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => { console.error(error && error.stack ? error.stack : String(error)); process.exit(2); },
);
