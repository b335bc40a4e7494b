// Verifies webhook signatures with the independent Standard Webhooks implementation (npm `standardwebhooks`).
// Usage: node verify.js cases.json — cases.json is [{secret, id, timestamp, signature, body}, ...].
// Prints one JSON line per case: {"verified": true} or {"verified": false, "error": "..."}.
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
for (const c of cases) {
  try {
    new Webhook(c.secret).verify(c.body, {
      "webhook-id": c.id,
      "webhook-timestamp": String(c.timestamp),
      "webhook-signature": c.signature,
    });
    console.log(JSON.stringify({ verified: true }));
  } catch (e) {
    console.log(JSON.stringify({ verified: false, error: String(e.message) }));
  }
}
