// Registers, encodes and decodes against a running Schema Registry with @kafkajs/confluent-schema-registry,
// a client written independently of this project, so NodeClientInteropTest can check our server and Java
// serde against it.
//
// Usage: node interop.js REGISTRY_URL WORK_DIR
//
// WORK_DIR must contain:
//   schema.avsc     the Avro schema to register, as JSON
//   payload.json    a value of that schema, to encode
//   java-value.bin  a value in the Confluent wire format, written by the Java serde, to decode
// The script writes WORK_DIR/node-value.bin (payload.json encoded) and prints one JSON object with the ids
// the registry returned and the decoded Java value. Any failure exits with status 1.
'use strict';

const fs = require('fs');
const path = require('path');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const SUBJECT = 'node-token-usage-value';

async function main() {
  const [registryUrl, workDir] = process.argv.slice(2);
  if (!registryUrl || !workDir) {
    throw new Error('Usage: node interop.js REGISTRY_URL WORK_DIR');
  }
  const schema = fs.readFileSync(path.join(workDir, 'schema.avsc'), 'utf8');
  const payload = JSON.parse(fs.readFileSync(path.join(workDir, 'payload.json'), 'utf8'));
  const javaValue = fs.readFileSync(path.join(workDir, 'java-value.bin'));

  const registry = new SchemaRegistry({ host: registryUrl, retry: { retries: 0 } });

  // The first registration finds no subject-level compatibility (404) and sets it afterwards.
  const { id: registeredId } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: SUBJECT });
  // The second one reads that level back and compares it with its own default, BACKWARD.
  const { id: reRegisteredId } = await registry.register({ type: SchemaType.AVRO, schema }, { subject: SUBJECT });
  const latestId = await registry.getLatestSchemaId(SUBJECT);
  const lookupId = await registry.getRegistryIdBySchema(SUBJECT, { type: SchemaType.AVRO, schema });

  const nodeValue = await registry.encode(registeredId, payload);
  fs.writeFileSync(path.join(workDir, 'node-value.bin'), nodeValue);

  const decoded = await registry.decode(javaValue);

  process.stdout.write(JSON.stringify({ registeredId, reRegisteredId, latestId, lookupId, decoded }) + '\n');
}

main().catch((error) => {
  process.stderr.write(`interop.js failed: ${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
