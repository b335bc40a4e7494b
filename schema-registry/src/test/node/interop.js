// Independent-client side of InteropWithKafkajsClientTest, using @kafkajs/confluent-schema-registry.
//   node interop.js encode <registryUrl> <schemaFile> <subject>  -> stdout {"id": n, "base64": "..."}
//   node interop.js decode <registryUrl> <base64>                -> stdout the decoded record as JSON
'use strict';
const fs = require('fs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const AVRO = 'com.messagingconnectors.schemas.avro.';

async function main() {
  const [mode, host, ...rest] = process.argv.slice(2);
  const registry = new SchemaRegistry({ host });
  if (mode === 'encode') {
    const [schemaFile, subject] = rest;
    const schema = fs.readFileSync(schemaFile, 'utf8');
    const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject });
    const event = {
      eventId: '7b0c4a52-3c1e-4f7e-9a59-2d2d5d1f0a11',
      type: 'alert.triggered',
      workspaceId: 'ws_node',
      occurredAt: 1764316800123,
      level: 'alert',
      summary: 'CPU above 90% (from node)',
      link: 'https://app.example.com/alerts/al_7',
      source: null,
      attributes: { team: 'sre' },
      // A union of several records is a wrapped union in avsc: {"<full name>": value}.
      payload: { [AVRO + 'AlertTriggered']: {
        alertId: 'al_7', alertName: 'CPU', metric: 'cpu.usage', comparator: '>', threshold: 0.9, value: 0.97 } },
    };
    const bytes = await registry.encode(id, event);
    process.stdout.write(JSON.stringify({ id, base64: bytes.toString('base64') }));
  } else if (mode === 'decode') {
    const decoded = await registry.decode(Buffer.from(rest[0], 'base64'));
    process.stdout.write(JSON.stringify(decoded));
  } else {
    throw new Error('usage: node interop.js encode|decode ...');
  }
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
