// Validates Adaptive Cards with the adaptivecards library (the one Teams' own renderers are built from).
// Usage: node validate.js cards.json   where cards.json is [{"name": "...", "card": {...}}, ...]
// Prints one line per card ("ok <name>" or "FAIL <name>: <problems>") and exits 1 if any card has a problem.
// Every parse warning counts (unknown element or property, property newer than 1.5, bad value), and every
// validation event of the parsed card (duplicate ids, missing required properties, ...).
const fs = require('fs');
const AC = require('adaptivecards/dist/adaptivecards.js');

const cards = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
let failed = 0;
for (const { name, card } of cards) {
  const problems = [];
  if (card.type !== 'AdaptiveCard') problems.push('type is not AdaptiveCard');
  if (card.version !== '1.5' && !/^1\.[0-4]$/.test(card.version || '')) problems.push('version ' + card.version + ' is above what Teams supports (1.5)');
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  for (let i = 0; i < context.eventCount; i++) problems.push('parse: ' + context.getEventAt(i).message);
  for (const e of parsed.validateProperties().validationEvents) problems.push('validation: ' + e.message);
  if (problems.length) {
    failed++;
    console.log('FAIL ' + name + ': ' + problems.join(' | '));
  } else {
    console.log('ok ' + name);
  }
}
process.exit(failed ? 1 : 0);
