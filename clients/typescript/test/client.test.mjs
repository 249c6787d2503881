// The client against the real services (the clients module's TypeScriptClientIT starts them and passes their
// addresses and tokens in the environment); a person's verdict is given through the review API.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { before, test } from "node:test";
import { BadRequest, Conflict, InvalidSignature, NotFound, Oversight, WaitTimeout, isFinal, signWebhook, verifyWebhook }
  from "../dist/index.js";
import { call, env, judge, skip, useCaseWithTools } from "../testing/stack.mjs";


let client;
let useCase;

before(async () => {
  if (skip) return;
  client = new Oversight(env.OVERSIGHT_ROUTER_URL, env.OVERSIGHT_APP_TOKEN);
  useCase = await useCaseWithTools("ts", [{ name: "pay" }, { name: "refund", route: "REVIEW" }]);
});

test("a confident output is released and a retry with its key is the same decision", { skip }, async () => {
  const key = `ts-${randomUUID()}`;
  const first = await client.route({ useCase, modelVersion: "m1", output: { label: "approve" }, confidence: 0.95,
    idempotencyKey: key });
  assert.equal(first.route, "RELEASE");
  assert.ok(isFinal(first));
  const again = await client.route({ useCase, modelVersion: "m1", output: { label: "approve" }, confidence: 0.95,
    idempotencyKey: key });
  assert.equal(again.decisionId, first.decisionId);
  assert.equal(again.replayed, true);
  assert.deepEqual((await client.decision(first.decisionId)).finalOutput, { label: "approve" });
});

test("bad input is a typed problem naming the field", { skip }, async () => {
  await assert.rejects(client.route({ useCase, modelVersion: "m1", output: 1, toolCall: { name: "pay", arguments: {} },
    confidence: 0.9 }), (e) => e instanceof BadRequest && e.fields.join() === "toolCall");
  await assert.rejects(client.routeToolCall(useCase, "m1", { name: "pay", arguments: {} },
    { confidence: 0.9, trajectory: [{ kind: "thought", content: "x" }] }),
  (e) => e instanceof BadRequest && e.fields.join() === "trajectory[0].kind");
  await assert.rejects(client.route({ useCase, modelVersion: "m1", output: 1, confidence: 0.9,
    shadow: [{ modelVersion: "m1", output: 2, confidence: 0.5 }] }),
  (e) => e instanceof BadRequest && e.fields.join() === "shadow[0].modelVersion");
  const shadowed = await client.route({ useCase, modelVersion: "m1", output: { label: "approve" }, confidence: 0.95,
    shadow: [{ modelVersion: "m2", output: { label: "deny" }, confidence: 0.7 }] });
  assert.equal(shadowed.route, "RELEASE");
  await assert.rejects(client.decision(randomUUID()), NotFound);
});

test("a reviewed call waits for a person, and a short wait times out first", { skip }, async () => {
  const d = await client.routeToolCall(useCase, "agent-1", { name: "refund", arguments: { invoice: "INV-7", amount: 120 } },
    { confidence: 0.95 });
  assert.equal(d.route, "REVIEW");
  await assert.rejects(client.wait(d.decisionId, 1), WaitTimeout);
  const waiting = client.wait(d.decisionId, 30);
  await judge(useCase, "CORRECT", { rationale: "half for now",
    correctedOutput: { name: "refund", arguments: { invoice: "INV-7", amount: 60 } } });
  const done = await waiting;
  assert.equal(done.status, "CORRECTED");
  assert.equal(done.finalOutput.arguments.amount, 60);
  const asked = await client.routeToolCall(useCase, "agent-1", { name: "refund", arguments: { invoice: "INV-8", amount: 15 } },
    { confidence: 0.95 });
  await judge(useCase, "APPROVE");
  const approved = await client.wait(asked.decisionId, 30);
  assert.equal(approved.status, "APPROVED");
  assert.equal(approved.finalOutput.arguments.amount, 15);
});

test("a rejection carries the feedback, a block its reasons, and an admin overrides a release", { skip }, async () => {
  const blocked = await client.routeToolCall(useCase, "agent-1", { name: "wire_abroad", arguments: {} },
    { confidence: 0.99 });
  assert.deepEqual([blocked.status, blocked.reasons], ["BLOCKED", ["TOOL_NOT_ALLOWED"]]);
  const refund = await client.routeToolCall(useCase, "agent-1", { name: "refund", arguments: { amount: 500 } },
    { confidence: 0.99 });
  await judge(useCase, "REJECT", { rationale: "a voucher was already given" });
  const rejected = await client.wait(refund.decisionId, 30);
  assert.equal(rejected.status, "REJECTED");
  assert.equal(rejected.finalOutput, null);
  assert.equal(rejected.feedback, "a voucher was already given");
  const paid = await client.routeToolCall(useCase, "agent-1", { name: "pay", arguments: { amount: 5 } },
    { confidence: 0.99 });
  const admin = new Oversight(env.OVERSIGHT_ROUTER_URL, env.OVERSIGHT_ADMIN_TOKEN);
  assert.equal((await admin.override(paid.decisionId, "paid twice")).status, "OVERRIDDEN");
});

test("a real callback verifies and an altered one does not", { skip }, async () => {
  const created = await call(env.OVERSIGHT_ROUTER_URL, env.OVERSIGHT_ADMIN_TOKEN, "POST",
    `/v1/apps/${env.OVERSIGHT_APP}/webhook-secret`);
  assert.ok(created.status === 200 || created.status === 201, JSON.stringify(created.body));
  const secret = created.body.secret;
  let deliver;
  const delivered = new Promise((resolve) => { deliver = resolve; });
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      deliver({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "localhost", resolve));
  try {
    const d = await client.route({ useCase, modelVersion: "m1", output: { label: "deny" }, confidence: 0.2,
      callbackUrl: `http://localhost:${server.address().port}/hook` });
    await judge(useCase, "APPROVE");
    const { headers, body } = await delivered;
    verifyWebhook(secret, headers, body);
    assert.equal(JSON.parse(body.toString()).decisionId, d.decisionId);
    assert.throws(() => verifyWebhook(secret, headers, body.toString().replace("APPROVED", "REJECTED")),
      InvalidSignature);
    // Signed, but with another secret: what a forger who knows the format but not the app's secret sends.
    const forged = { ...headers, "webhook-signature": signWebhook(`whsec_${"QUJD".repeat(8)}`, headers["webhook-id"],
      Number(headers["webhook-timestamp"]), body) };
    assert.throws(() => verifyWebhook(secret, forged, body), InvalidSignature);
  } finally {
    server.close();
  }
});

test("the app keeps its decision's audit receipt, which names the decision", { skip }, async () => {
  const d = await client.route({ useCase, modelVersion: "m1", output: { claim: "pay" }, confidence: 0.95 });
  const lines = (await client.receipt(d.decisionId)).split("\n");
  assert.equal(lines[0], "c2sp.org/tlog-proof@v1");
  const event = JSON.parse(Buffer.from(lines[1].replace(/^extra /, ""), "base64").toString("utf8"));
  assert.equal(event.type, "DECISION_MADE");
  assert.equal(event.subjectId, d.decisionId);
  await assert.rejects(client.receipt(d.decisionId, "OUTCOME_FINAL", 0), Conflict);
});
