// The gate in a real LangGraph graph of plain functions (no model), against the real Oversight services (the clients
// module's ClientSuitesIT starts them); a person's verdict is given through the review API.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, test } from "node:test";
import { Annotation, Command, END, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { Oversight } from "@oversight/client";
import { OversightGate, resumeWhenDecided, reviewInterrupts } from "../dist/index.js";

const env = process.env;
const missing = ["OVERSIGHT_ROUTER_URL", "OVERSIGHT_REVIEW_URL", "OVERSIGHT_APP_TOKEN", "OVERSIGHT_ADMIN_TOKEN",
  "OVERSIGHT_REVIEWER_TOKEN"].filter((name) => !env[name]);
const skip = missing.length > 0 ? `no running stack (missing ${missing.join(", ")})` : false;

let client;
let useCase;
let graph;
const ran = [];

async function call(base, token, method, path, body) {
  const response = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`,
    "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

async function judge(verdict, fields = {}) {
  const deadline = Date.now() + 30_000;
  let claimed;
  do {
    claimed = await call(env.OVERSIGHT_REVIEW_URL, env.OVERSIGHT_REVIEWER_TOKEN, "POST", "/v1/tasks/claim-next",
      { useCase });
    if (claimed.status === 204) {
      assert.ok(Date.now() < deadline, "a task reached the review service");
      await new Promise((r) => setTimeout(r, 200));
    }
  } while (claimed.status === 204);
  const given = await call(env.OVERSIGHT_REVIEW_URL, env.OVERSIGHT_REVIEWER_TOKEN, "POST",
    `/v1/tasks/${claimed.body.taskId}/verdict`, { leaseToken: claimed.body.leaseToken, verdict, ...fields });
  assert.equal(given.status, 200, JSON.stringify(given.body));
}

before(async () => {
  if (skip) return;
  client = new Oversight(env.OVERSIGHT_ROUTER_URL, env.OVERSIGHT_APP_TOKEN);
  useCase = `lg-${randomUUID().slice(0, 8)}`;
  const created = await call(env.OVERSIGHT_ROUTER_URL, env.OVERSIGHT_ADMIN_TOKEN, "PUT",
    `/v1/use-cases/${useCase}/policy`, { apps: ["*"], threshold: 0.8, auditSampleRate: 0,
      tools: [{ name: "lookup" }, { name: "refund", route: "REVIEW" }] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const gate = new OversightGate(client, { useCase, modelVersion: "agent-1", confidence: 0.95 });
  // A graph of plain functions: the "agent" proposes the call in the input, the gate decides, the tool runs or the
  // refusal goes back to the agent as a message.
  const State = Annotation.Root({
    proposed: Annotation(),
    outcome: Annotation(),
    result: Annotation(),
  });
  graph = new StateGraph(State)
    .addNode("gate", async (state, config) => ({ outcome: await gate.toolCall(state.proposed, config) }))
    .addNode("tool", async (state) => {
      ran.push(state.outcome.call);
      return { result: `${state.outcome.call.name} ran with ${JSON.stringify(state.outcome.call.arguments)}` };
    })
    .addNode("refused", async (state) => ({ result: `refused: ${state.outcome.message}` }))
    .addEdge(START, "gate")
    .addConditionalEdges("gate", (state) => (state.outcome.action === "run" ? "tool" : "refused"))
    .addEdge("tool", END)
    .addEdge("refused", END)
    .compile({ checkpointer: new MemorySaver() });
});

const thread = () => ({ configurable: { thread_id: randomUUID() } });

test("a released call runs in the same invocation, a blocked one goes back to the agent", { skip }, async () => {
  const released = await graph.invoke({ proposed: { name: "lookup", arguments: { invoice: "INV-1" } } }, thread());
  assert.equal(released.result, 'lookup ran with {"invoice":"INV-1"}');
  const blocked = await graph.invoke({ proposed: { name: "delete_invoice", arguments: {} } }, thread());
  assert.match(blocked.result, /^refused: Oversight blocked this call \(TOOL_NOT_ALLOWED\)/);
  assert.deepEqual(reviewInterrupts(blocked), []);
});

test("a reviewed call pauses the graph; resumed, it runs as approved or as edited, and a second resume is harmless",
  { skip }, async () => {
    const config = thread();
    const paused = await graph.invoke({ proposed: { name: "refund", arguments: { invoice: "INV-2", amount: 80 } } },
      config);
    const [review] = reviewInterrupts(paused);
    assert.ok(review?.decisionId, JSON.stringify(paused));
    assert.equal(paused.result, undefined);
    // Resumed before anyone decided: it pauses again, nothing runs.
    const early = await graph.invoke(new Command({ resume: review.decisionId }), config);
    assert.equal(reviewInterrupts(early)[0]?.decisionId, review.decisionId);
    await judge("CORRECT", { rationale: "half for now",
      correctedOutput: { name: "refund", arguments: { invoice: "INV-2", amount: 40 } } });
    const done = await resumeWhenDecided(client, graph, config, review, 30);
    assert.match(done.result, /^refund ran with /);
    assert.deepEqual(ran.at(-1), { name: "refund", arguments: { invoice: "INV-2", amount: 40 } });
    const runs = ran.length;
    const again = await graph.invoke(new Command({ resume: review.decisionId }), config);
    assert.equal(again.result, done.result);
    assert.equal(ran.length, runs, "a second resume must not run the tool again");

    const approvedConfig = thread();
    const second = await graph.invoke({ proposed: { name: "refund", arguments: { invoice: "INV-3", amount: 10 } } },
      approvedConfig);
    await judge("APPROVE");
    const approved = await resumeWhenDecided(client, graph, approvedConfig, reviewInterrupts(second)[0], 30);
    assert.match(approved.result, /^refund ran with /);
    assert.deepEqual(ran.at(-1), { name: "refund", arguments: { invoice: "INV-3", amount: 10 } });
  });

test("a rejected call goes back to the agent with the reviewers' feedback", { skip }, async () => {
  const config = thread();
  const paused = await graph.invoke({ proposed: { name: "refund", arguments: { invoice: "INV-4", amount: 900 } } },
    config);
  await judge("REJECT", { rationale: "a voucher was already given" });
  const refused = await resumeWhenDecided(client, graph, config, reviewInterrupts(paused)[0], 30);
  assert.match(refused.result, /^refused: .*Their feedback: a voucher was already given$/);
});
