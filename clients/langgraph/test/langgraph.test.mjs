// The gate in a real LangGraph graph of plain functions (no model), against the real Oversight services (the clients
// module's ClientSuitesIT starts them); a person's verdict is given through the review API.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, test } from "node:test";
import { Annotation, Command, END, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import { Oversight } from "@oversight/client";
import { OversightGate, resumeWhenDecided, reviewInterrupts } from "../dist/index.js";
import { env, judge, skip, useCaseWithTools } from "../../typescript/testing/stack.mjs";


let client;
let useCase;
let graph;
const ran = [];

before(async () => {
  if (skip) return;
  client = new Oversight(env.OVERSIGHT_ROUTER_URL, env.OVERSIGHT_APP_TOKEN);
  useCase = await useCaseWithTools("lg", [{ name: "lookup" }, { name: "refund", route: "REVIEW" }]);
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
    await judge(useCase, "CORRECT", { rationale: "half for now",
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
    await judge(useCase, "APPROVE");
    const approved = await resumeWhenDecided(client, graph, approvedConfig, reviewInterrupts(second)[0], 30);
    assert.match(approved.result, /^refund ran with /);
    assert.deepEqual(ran.at(-1), { name: "refund", arguments: { invoice: "INV-3", amount: 10 } });
  });

test("a rejected call goes back to the agent with the reviewers' feedback", { skip }, async () => {
  const config = thread();
  const paused = await graph.invoke({ proposed: { name: "refund", arguments: { invoice: "INV-4", amount: 900 } } },
    config);
  await judge(useCase, "REJECT", { rationale: "a voucher was already given" });
  const refused = await resumeWhenDecided(client, graph, config, reviewInterrupts(paused)[0], 30);
  assert.match(refused.result, /^refused: .*Their feedback: a voucher was already given$/);
});
