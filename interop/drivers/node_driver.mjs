#!/usr/bin/env node
// One interop-suite step through a node Kafka client: kafkajs or @platformatic/kafka.
//
// usage: node node_driver.mjs {kafkajs|platformatic}
//
// The same JSON-lines protocol as python_driver.py: the first stdin line is the request
// {"step", "bootstrap", ...}; a step prints {"ok": {...}} | {"error", "code"} | {"unsupported"} and exits;
// group_member prints events ({"event": "assigned"|"record"|"closed"}) until stdin says {"command": "leave"}.
// Bytes travel as lowercase hex, headers as [[name, hex|null]].
import { createRequire } from 'node:module';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const unhex = (s) => (s === null || s === undefined ? null : Buffer.from(s, 'hex'));
const tohex = (b) => (b === null || b === undefined ? null : Buffer.from(b).toString('hex'));
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n');
// Writes to a pipe are asynchronous: exiting before they drain would cut a large answer short.
const flushAndExit = (code) => process.stdout.write('', () => process.exit(code));

class Unsupported extends Error {}

const input = readline.createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();
// Resolves when stdin says leave or closes (the runner closing our stdin means "leave").
// Started only after the request line has been read.
let leaveRequested;
const watchForLeave = async () => {
  for (;;) {
    const { value, done } = await lines.next();
    if (done) return;
    if (value.trim() && JSON.parse(value).command === 'leave') return;
  }
};

// ------------------------------------------------------------------------------------------------ kafkajs
async function kafkajs(req) {
  const { Kafka, CompressionTypes, CompressionCodecs, logLevel, AssignerProtocol, PartitionAssigners } = require('kafkajs');
  const kafka = new Kafka({
    clientId: 'interop-kafkajs', brokers: [req.bootstrap], logLevel: logLevel.NOTHING,
    connectionTimeout: 10000, requestTimeout: 20000, retry: { retries: 5, initialRetryTime: 200 },
  });
  const codecs = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy,
    lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD };
  const withAdmin = async (fn) => {
    const admin = kafka.admin();
    await admin.connect();
    try { return await fn(admin); } finally { await admin.disconnect(); }
  };
  const record = (partition, m) => ({
    partition, offset: Number(m.offset), key: tohex(m.key), value: tohex(m.value),
    headers: Object.entries(m.headers || {}).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => [k, tohex(x)])),
    timestamp: Number(m.timestamp),
  });
  // kafkajs consumers always join a group; reading from an offset is a throwaway group plus seek.
  const groupConsumer = async (group, topic, opts, onMessage) => {
    const consumer = kafka.consumer({ groupId: group, sessionTimeout: 6000, heartbeatInterval: 500,
      maxWaitTimeInMs: opts.maxWait ?? 100, rebalanceTimeout: 10000, allowAutoTopicCreation: false,
      partitionAssigners: [opts.assignor === 'roundrobin' ? roundRobinAssigner : rangeAssigner] });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return consumer;
  };
  // kafkajs names its round robin assigner "RoundRobinAssigner", so a group of Java, librdkafka or python clients
  // ("roundrobin") answers its JoinGroup with INCONSISTENT_GROUP_PROTOCOL: the same assigner under the standard name.
  const roundRobinAssigner = (config) => ({ ...PartitionAssigners.roundRobin(config), name: 'roundrobin' });
  // kafkajs ships only round robin; a "range" assigner speaking the standard protocol name lets it share
  // a group with librdkafka's and the python clients' default (range).
  const rangeAssigner = ({ cluster }) => ({
    name: 'range', version: 0,
    protocol: ({ topics }) => ({ name: 'range', metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics }) }),
    async assign({ members, topics }) {
      const sorted = members.map((m) => m.memberId).sort();
      const plan = Object.fromEntries(sorted.map((id) => [id, {}]));
      for (const topic of topics) {
        const parts = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId).sort((a, b) => a - b);
        const per = Math.floor(parts.length / sorted.length), extra = parts.length % sorted.length;
        let next = 0;
        sorted.forEach((id, i) => {
          const n = per + (i < extra ? 1 : 0);
          plan[id][topic] = parts.slice(next, next + n);
          next += n;
        });
      }
      return sorted.map((memberId) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: plan[memberId], userData: Buffer.alloc(0) }),
      }));
    },
  });
  // kafkajs ships gzip only; snappy comes from its codec package (lz4 and zstd packages need native builds).
  CompressionCodecs[CompressionTypes.Snappy] = require('kafkajs-snappy');

  switch (req.step) {
    case 'metadata': return withAdmin(async (admin) => {
      const cluster = await admin.describeCluster();
      const md = await admin.fetchTopicMetadata({ topics: req.topics || [] });
      return {
        brokers: cluster.brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port })),
        controller: cluster.controller, cluster_id: cluster.clusterId,
        topics: md.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas })) })),
      };
    });
    case 'create_topic': return withAdmin(async (admin) => {
      const configEntries = Object.entries(req.configs || {}).map(([name, value]) => ({ name, value }));
      const created = await admin.createTopics({ topics: [{ topic: req.topic, numPartitions: req.partitions, replicationFactor: 1, configEntries }], waitForLeaders: true });
      if (!created) throw Object.assign(new Error('createTopics returned false: the topic exists'), { code: 36 });
      return {};
    });
    case 'delete_topic': return withAdmin(async (admin) => { await admin.deleteTopics({ topics: [req.topic], timeout: 20000 }); return {}; });
    case 'describe_configs': return withAdmin(async (admin) => {
      const res = await admin.describeConfigs({ resources: [{ type: 2, name: req.topic }], includeSynonyms: false });
      const r = res.resources[0];
      if (r.errorCode) throw Object.assign(new Error(r.errorMessage), { code: r.errorCode });
      return { configs: Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])) };
    });
    case 'delete_records': return withAdmin(async (admin) => {
      // deleteTopicRecords looks leaders up in metadata it does not fetch itself.
      await admin.fetchTopicMetadata({ topics: [req.topic] });
      await admin.deleteTopicRecords({ topic: req.topic, partitions: [{ partition: req.partition, offset: String(req.offset) }] });
      const offsets = await admin.fetchTopicOffsets(req.topic);
      return { low_watermark: Number(offsets.find((o) => o.partition === req.partition).low) };
    });
    case 'watermarks': return withAdmin(async (admin) => {
      const o = (await admin.fetchTopicOffsets(req.topic)).find((x) => x.partition === req.partition);
      return { low: Number(o.low), high: Number(o.high) };
    });
    case 'offset_for_time': return withAdmin(async (admin) => {
      const o = (await admin.fetchTopicOffsetsByTimestamp(req.topic, req.timestamp)).find((x) => x.partition === req.partition);
      return { offset: Number(o.offset) };
    });
    case 'produce': {
      const producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
      try {
        const results = [];
        // One send per message keeps each reported offset tied to its message.
        for (const m of req.messages) {
          const headers = {};
          for (const [k, v] of m.headers || []) headers[k] = headers[k] === undefined ? unhex(v) : [].concat(headers[k], unhex(v));
          const msg = { key: unhex(m.key), value: unhex(m.value), headers };
          if (m.partition !== null && m.partition !== undefined) msg.partition = m.partition;
          if (m.timestamp !== null && m.timestamp !== undefined) msg.timestamp = String(m.timestamp);
          if (!codecs[req.codec || 'none'] && req.codec !== 'none') throw new Unsupported(`unknown codec ${req.codec}`);
          const [meta] = await producer.send({ topic: req.topic, acks: -1, compression: codecs[req.codec || 'none'], messages: [msg] });
          results.push({ partition: meta.partition, offset: Number(meta.baseOffset), timestamp: m.timestamp ?? null });
        }
        return { results };
      } catch (e) {
        if (/not implemented/i.test(String(e && e.message))) {
          throw new Unsupported(`kafkajs 2.2.4 ships gzip only (snappy is added here from kafkajs-snappy); its ${req.codec} codec package needs a native build, not installed`);
        }
        throw e;
      } finally {
        await producer.disconnect();
      }
    }
    case 'consume': {
      const records = [];
      const consumer = await groupConsumer(`interop-seek-${process.pid}-${Date.now()}`, req.topic, { maxWait: req.max_wait_ms ?? 500 });
      try {
        let done;
        const finished = new Promise((resolve) => { done = resolve; });
        await consumer.run({ autoCommit: false, eachMessage: async ({ partition, message }) => {
          if (partition !== req.partition || records.length >= req.count) return;
          records.push(record(partition, message));
          if (records.length >= req.count) done();
        } });
        consumer.seek({ topic: req.topic, partition: req.partition, offset: String(req.offset) });
        await Promise.race([finished, new Promise((r) => setTimeout(r, req.timeout_ms ?? 20000))]);
      } finally {
        await consumer.disconnect();
      }
      return { records };
    }
    case 'list_groups': return withAdmin(async (admin) => ({
      groups: (await admin.listGroups()).groups.map((g) => ({ group: g.groupId, protocol_type: g.protocolType })),
    }));
    case 'describe_group': return withAdmin(async (admin) => {
      const { groups: [g] } = await admin.describeGroups([req.group]);
      if (g.errorCode) throw Object.assign(new Error('describe group failed'), { code: g.errorCode });
      return {
        state: g.state, protocol_type: g.protocolType, protocol: g.protocol,
        members: g.members.map((m) => {
          const a = m.memberAssignment && m.memberAssignment.length ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
          return { client_id: m.clientId, client_host: m.clientHost, partitions: a ? Object.values(a.assignment).flat().sort((x, y) => x - y) : [] };
        }),
      };
    });
    case 'group_offsets': return withAdmin(async (admin) => {
      const [t] = await admin.fetchOffsets({ groupId: req.group, topics: [req.topic] });
      return { offsets: Object.fromEntries(t.partitions.filter((p) => Number(p.offset) >= 0).map((p) => [String(p.partition), Number(p.offset)])) };
    });
    case 'group_member': {
      const consumer = await groupConsumer(req.group, req.topic, { assignor: req.assignor });
      // A consumer that gives up (e.g. JoinGroup rejected) reports it instead of idling unassigned.
      consumer.on(consumer.events.CRASH, (e) => {
        emit({ error: `kafkajs consumer crashed: ${describe(e.payload.error)}`, code: errorCode(e.payload.error) });
        flushAndExit(0);
      });
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        const mine = e.payload.memberAssignment[req.topic] || [];
        emit({ event: 'assigned', partitions: [...mine].sort((a, b) => a - b) });
      });
      let seen = 0;
      let stop;
      const stopped = new Promise((r) => { stop = r; });
      await consumer.run({ autoCommit: false, eachMessage: async ({ topic, partition, message }) => {
        // The rest of a fetched batch still arrives after stop_after: neither report nor commit it.
        if (req.stop_after && seen >= req.stop_after) return;
        emit({ event: 'record', ...record(partition, message) });
        await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
        seen += 1;
        if (req.stop_after && seen >= req.stop_after) stop();
      } });
      await Promise.race([leaveRequested, stopped]);
      await consumer.disconnect();
      emit({ event: 'closed' });
      return null;
    }
    default: throw new Unsupported(`the driver has no step ${req.step}`);
  }
}

// ------------------------------------------------------------------------------------------ @platformatic/kafka
async function platformatic(req) {
  const plt = await import('@platformatic/kafka');
  const base = { clientId: 'interop-platformatic', bootstrapBrokers: [req.bootstrap], timeout: 20000, retries: 3, retryDelay: 200 };
  const withAdmin = async (fn) => {
    const admin = new plt.Admin(base);
    try { return await fn(admin); } finally { await admin.close(); }
  };
  const record = (m) => ({
    partition: m.partition, offset: Number(m.offset), key: m.key && m.key.length ? tohex(m.key) : (m.key ? '' : null), value: tohex(m.value),
    headers: [...(m.headers || new Map())].map(([k, v]) => [Buffer.from(k).toString('utf8'), tohex(v)]),
    timestamp: Number(m.timestamp),
  });
  // protocols: its default announces subscription version 1 but encodes only version 0's fields (no owned
  // partitions), which a librdkafka group leader cannot parse and so assigns it nothing; version 0 is what it sends.
  const consumerOf = (group, extra = {}) => new plt.Consumer({ ...base, groupId: group, sessionTimeout: 6000, heartbeatInterval: 500,
    rebalanceTimeout: 10000, maxWaitTime: 100, protocols: [{ name: 'roundrobin', version: 0 }], ...extra });

  switch (req.step) {
    case 'metadata': return withAdmin(async (admin) => {
      const md = await admin.metadata({ topics: req.topics || [] });
      return {
        brokers: [...md.brokers].map(([id, b]) => ({ id, host: b.host, port: b.port })),
        controller: md.controllerId, cluster_id: md.id,
        topics: [...md.topics].map(([name, t]) => ({ name, partitions: t.partitions.map((p, i) => ({ partition: i, leader: p.leader, replicas: p.replicas })) })),
      };
    });
    case 'create_topic': return withAdmin(async (admin) => {
      const configs = Object.entries(req.configs || {}).map(([name, value]) => ({ name, value }));
      await admin.createTopics({ topics: [req.topic], partitions: req.partitions, replicas: 1, configs });
      return {};
    });
    case 'delete_topic': return withAdmin(async (admin) => { await admin.deleteTopics({ topics: [req.topic] }); return {}; });
    case 'describe_configs': return withAdmin(async (admin) => {
      const [r] = await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: req.topic }] });
      return { configs: Object.fromEntries(r.configs.map((e) => [e.name, e.value])) };
    });
    case 'delete_records': return withAdmin(async (admin) => {
      const [t] = await admin.deleteRecords({ topics: [{ name: req.topic, partitions: [{ partition: req.partition, offset: BigInt(req.offset) }] }] });
      return { low_watermark: Number(t.partitions[0].lowWatermark) };
    });
    case 'watermarks': return withAdmin(async (admin) => {
      const at = async (ts) => Number((await admin.listOffsets({ topics: [{ name: req.topic, partitions: [{ partitionIndex: req.partition, timestamp: ts }] }] }))[0].partitions[0].offset);
      return { low: await at(-2n), high: await at(-1n) };
    });
    case 'offset_for_time': return withAdmin(async (admin) => {
      const [t] = await admin.listOffsets({ topics: [{ name: req.topic, partitions: [{ partitionIndex: req.partition, timestamp: BigInt(req.timestamp) }] }] });
      return { offset: Number(t.partitions[0].offset) };
    });
    case 'produce': {
      const producer = new plt.Producer({ ...base, acks: -1, compression: req.codec || 'none', autocreateTopics: false });
      try {
        const results = [];
        for (const m of req.messages) {
          const msg = { topic: req.topic, key: unhex(m.key) ?? undefined, value: unhex(m.value) ?? undefined,
            headers: new Map((m.headers || []).map(([k, v]) => [Buffer.from(k), unhex(v)])) };
          if (m.partition !== null && m.partition !== undefined) msg.partition = m.partition;
          if (m.timestamp !== null && m.timestamp !== undefined) msg.timestamp = BigInt(m.timestamp);
          const res = await producer.send({ messages: [msg] });
          const o = res.offsets[0];
          results.push({ partition: o.partition, offset: Number(o.offset), timestamp: m.timestamp ?? null });
        }
        return { results };
      } finally {
        await producer.close();
      }
    }
    case 'consume': {
      const consumer = consumerOf(`interop-seek-${process.pid}-${Date.now()}`, { maxWaitTime: req.max_wait_ms ?? 500 });
      const records = [];
      try {
        const stream = await consumer.consume({ topics: [req.topic], mode: 'manual', autocommit: false,
          offsets: [{ topic: req.topic, partition: req.partition, offset: BigInt(req.offset) }] });
        const deadline = setTimeout(() => stream.destroy(), req.timeout_ms ?? 20000);
        try {
          for await (const m of stream) {
            if (m.partition !== req.partition) continue;
            records.push(record(m));
            if (records.length >= req.count) break;
          }
        } finally {
          clearTimeout(deadline);
          await stream.close().catch(() => {});
        }
      } finally {
        await consumer.close(true);
      }
      return { records };
    }
    case 'list_groups': return withAdmin(async (admin) => ({
      groups: [...(await admin.listGroups())].map(([id, g]) => ({ group: id, protocol_type: g.protocolType })),
    }));
    case 'describe_group': return withAdmin(async (admin) => {
      const g = (await admin.describeGroups({ groups: [req.group] })).get(req.group);
      return {
        state: g.state, protocol_type: g.protocolType, protocol: g.protocol,
        members: [...g.members.values()].map((m) => ({ client_id: m.clientId, client_host: m.clientHost,
          partitions: [...(m.assignments || new Map()).values()].flatMap((a) => a.partitions).sort((x, y) => x - y) })),
      };
    });
    case 'group_offsets': return withAdmin(async (admin) => {
      const [g] = await admin.listConsumerGroupOffsets({ groups: [req.group] });
      const t = g.topics.find((x) => x.name === req.topic);
      return { offsets: Object.fromEntries((t ? t.partitions : []).filter((p) => p.committedOffset >= 0n).map((p) => [String(p.partitionIndex), Number(p.committedOffset)])) };
    });
    case 'group_member': {
      const consumer = consumerOf(req.group);
      consumer.on('consumer:group:join', () => {
        const mine = (consumer.assignments || []).filter((a) => a.topic === req.topic).flatMap((a) => a.partitions);
        emit({ event: 'assigned', partitions: [...mine].sort((a, b) => a - b) });
      });
      const stream = await consumer.consume({ topics: [req.topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
      let seen = 0;
      const reading = (async () => {
        for await (const m of stream) {
          emit({ event: 'record', ...record(m) });
          await m.commit();
          seen += 1;
          if (req.stop_after && seen >= req.stop_after) return;
        }
      })();
      await Promise.race([leaveRequested, reading]);
      await stream.close().catch(() => {});
      await consumer.close(true);
      emit({ event: 'closed' });
      return null;
    }
    default: throw new Unsupported(`the driver has no step ${req.step}`);
  }
}

// The message with the messages of nested errors (AggregateError, cause), which say what the broker answered.
function describe(e, depth = 0) {
  if (e === null || e === undefined || depth > 3) return '';
  let text = `${e.name || 'Error'}: ${e.message || String(e)}`;
  if (e.apiId) text += ` [${e.apiId}]`;
  const inner = [...(e.errors || []), ...(e.cause ? [e.cause] : [])];
  if (inner.length) text += ` (${inner.map((x) => describe(x, depth + 1)).join('; ')})`;
  return text;
}

function errorCode(e) {
  if (e === null || e === undefined) return null;
  if (typeof e.code === 'number') return e.code;
  if (e.errors && e.errors.length) {
    for (const inner of e.errors) { const c = errorCode(inner); if (c !== null) return c; }
  }
  if (typeof e.apiId === 'string' || typeof e.apiCode === 'number') return e.apiCode ?? null;
  if (e.cause) return errorCode(e.cause);
  return null;
}

async function main() {
  const client = process.argv[2];
  const { value: first } = await lines.next();
  const req = JSON.parse(first);
  leaveRequested = watchForLeave();
  try {
    const result = await (client === 'kafkajs' ? kafkajs : platformatic)(req);
    if (result !== null) emit({ ok: result });
  } catch (e) {
    if (e instanceof Unsupported) emit({ unsupported: e.message });
    else if (/zstd is not supported in the current Node.js/.test(describe(e))) {
      emit({ unsupported: `@platformatic/kafka compresses zstd with node's zlib, which has zstd only from node 22.15; node ${process.versions.node} here` });
    } else emit({ error: describe(e), code: errorCode(e) });
  }
  flushAndExit(0);
}

main();
