// Standard Webhooks verification against the specification's published test vector.
import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidSignature, signWebhook, verifyWebhook } from "../dist/index.js";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const timestamp = 1614265330;
const body = '{"test": 2432232314}';
const signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
const headers = (sig = signature, ts = String(timestamp)) =>
  ({ "Webhook-Id": id, "Webhook-Timestamp": ts, "Webhook-Signature": sig });

test("signs and verifies the published vector", () => {
  assert.equal(signWebhook(secret, id, timestamp, body), signature);
  verifyWebhook(secret, headers(), body, timestamp);
  verifyWebhook(secret.slice(6), new Headers(headers(`v1,b3RoZXI= ${signature}`)), Buffer.from(body), timestamp + 300);
});

test("refuses an altered body, timestamp or signature, another secret, and an old delivery", () => {
  const refused = (fn) => assert.throws(fn, InvalidSignature);
  refused(() => verifyWebhook(secret, headers(), '{"test": 2432232315}', timestamp));
  refused(() => verifyWebhook(secret, headers(signature, String(timestamp + 1)), body, timestamp));
  refused(() => verifyWebhook(secret, headers(`v2,${signature.slice(3)}`), body, timestamp));
  refused(() => verifyWebhook(`whsec_${"A".repeat(32)}`, headers(), body, timestamp));
  refused(() => verifyWebhook(secret, headers(), body, timestamp + 301));
  refused(() => verifyWebhook(secret, { "webhook-id": id }, body, timestamp));
});
