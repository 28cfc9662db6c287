// Produces TokenRequest events with kafkajs and reads the processor's token-usage and usage-alerts records
// back, so that KafkaJsInteropTest can check the whole stack against clients written independently of this
// project: kafkajs for Kafka and @kafkajs/confluent-schema-registry for the Confluent wire format.
//
// Usage: node kafka-interop.js BOOTSTRAP_SERVERS REGISTRY_URL USER_ID REQUEST_COUNT TIMEOUT_MS
//
// The script encodes REQUEST_COUNT requests of USER_ID with the latest schema of token-requests-value and
// sends them keyed by USER_ID. It then consumes both output topics from the beginning until it has decoded
// one token-usage record per request and at least one usage-alerts record of USER_ID. Each output value is decoded
// with the schema whose id its own header names. It prints one JSON object: the requests it sent, the
// decoded records and the schema ids it saw. It exits with status 1 on any failure, or when TIMEOUT_MS passes
// before every expected record arrives.
'use strict';

const { CompressionCodecs, CompressionTypes, Kafka, Partitioners, logLevel } = require('kafkajs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');
const { lz4Codec } = require('./lz4-codec');

// The processor's producers compress with LZ4, which kafkajs cannot read without a codec.
CompressionCodecs[CompressionTypes.LZ4] = lz4Codec;

const REQUESTS_SUBJECT = 'token-requests-value';
const REQUESTS_TOPIC = 'token-requests';
const USAGE_TOPIC = 'token-usage';
const ALERTS_TOPIC = 'usage-alerts';
// Magic byte 0, then the schema id as a 4-byte big-endian integer, as the Confluent wire format defines.
const SCHEMA_ID_OFFSET = 1;
// How long the consumer keeps reading after every expected record arrived, so that extra records show up.
const SETTLE_MS = 2000;

/** Returns the requests to send: reported counts that differ per request, timestamped now. */
function requestsOf(userId, count, now) {
  const requests = [];
  for (let i = 0; i < count; i++) {
    requests.push({
      requestId: `node-${userId}-${now}-${i}`,
      userId,
      timestamp: now + i,
      model: 'meta-llama/Meta-Llama-3-70B-Instruct',
      provider: 'together',
      promptText: null,
      completionText: null,
      promptProfile: null,
      completionProfile: null,
      reportedPromptTokens: 100 + 10 * i,
      reportedCompletionTokens: 40 + 3 * i,
      reportedTotalTokens: null,
      app: 'kafkajs-interop',
      imported: false,
    });
  }
  return requests;
}

async function produce(kafka, registry, requests) {
  const schemaId = await registry.getLatestSchemaId(REQUESTS_SUBJECT);
  const messages = [];
  for (const request of requests) {
    messages.push({ key: request.userId, value: await registry.encode(schemaId, request) });
  }
  // The Java-compatible partitioner hashes keys as the Java client does, so a key keeps its partition.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic: REQUESTS_TOPIC, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
  return schemaId;
}

async function consume(kafka, registry, userId, expectedUsage, timeoutMs) {
  const usage = [];
  const alerts = [];
  const schemaIds = { [USAGE_TOPIC]: [], [ALERTS_TOPIC]: [] };
  // readUncommitted: false is the kafkajs default, set here because the processor writes in transactions
  // and only committed records count as output.
  const consumer = kafka.consumer({ groupId: `kafkajs-interop-${Date.now()}`, readUncommitted: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [USAGE_TOPIC, ALERTS_TOPIC], fromBeginning: true });
    let completeSince = null;
    const done = new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const timer = setInterval(() => {
        if (completeSince !== null && Date.now() - completeSince >= SETTLE_MS) {
          clearInterval(timer);
          resolve();
        } else if (Date.now() > deadline) {
          clearInterval(timer);
          reject(new Error(`timed out after ${timeoutMs} ms with ${usage.length} of ${expectedUsage} `
            + `token-usage records and ${alerts.length} usage-alerts records of ${userId}`));
        }
      }, 100);
    });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const schemaId = message.value.readInt32BE(SCHEMA_ID_OFFSET);
        const decoded = await registry.decode(message.value);
        if (decoded.userId !== userId) {
          return;
        }
        schemaIds[topic].push(schemaId);
        (topic === USAGE_TOPIC ? usage : alerts).push(decoded);
        if (completeSince === null && usage.length >= expectedUsage && alerts.length > 0) {
          completeSince = Date.now();
        }
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return { usage, alerts, schemaIds };
}

async function main() {
  const [bootstrapServers, registryUrl, userId, countText, timeoutText] = process.argv.slice(2);
  const count = Number.parseInt(countText, 10);
  const timeoutMs = Number.parseInt(timeoutText, 10);
  if (!bootstrapServers || !registryUrl || !userId || !(count > 0) || !(timeoutMs > 0)) {
    throw new Error('Usage: node kafka-interop.js BOOTSTRAP_SERVERS REGISTRY_URL USER_ID REQUEST_COUNT '
      + 'TIMEOUT_MS (REQUEST_COUNT and TIMEOUT_MS are positive integers)');
  }
  const registry = new SchemaRegistry({ host: registryUrl, retry: { retries: 0 } });
  const kafka = new Kafka({
    clientId: 'kafkajs-interop',
    brokers: bootstrapServers.split(','),
    logLevel: logLevel.WARN,
    retry: { retries: 5 },
  });

  const sent = requestsOf(userId, count, Date.now());
  const requestSchemaId = await produce(kafka, registry, sent);
  const { usage, alerts, schemaIds } = await consume(kafka, registry, userId, count, timeoutMs);

  process.stdout.write(JSON.stringify({ requestSchemaId, sent, usage, alerts, schemaIds }) + '\n');
}

main().catch((error) => {
  process.stderr.write(`kafka-interop.js failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
