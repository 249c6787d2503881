// Oversight approvals in a real OpenAI Agents SDK run with a scripted model (no LLM: the model proposes the call
// written in the user's message, then reports the tool's result), against the real Oversight services (the clients
// module's ClientSuitesIT starts them); a person's verdict is given through the review API.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, test } from "node:test";
import { Agent, RunState, Usage, run, setTracingDisabled, tool } from "@openai/agents";
import { Oversight } from "@oversight/client";
import { OversightApprovals } from "../dist/index.js";
import { env, judge, skip, useCaseWithTools } from "../../typescript/testing/stack.mjs";

setTracingDisabled(true);

let useCase;
let agent;
let approvals;
const executed = [];

/** A scripted model: the user's message is the call to make; once a tool answered, it reports the answer. */
const scripted = {
  async getResponse(request) {
    const items = Array.isArray(request.input) ? request.input : [{ role: "user", content: request.input }];
    const answered = items.find((i) => i.type === "function_call_result");
    if (answered) {
      const text = typeof answered.output === "string" ? answered.output : answered.output?.text;
      return { usage: new Usage(), output: [{ type: "message", role: "assistant", status: "completed",
        content: [{ type: "output_text", text: `tool said: ${text}` }] }] };
    }
    const user = items.find((i) => i.role === "user");
    const wanted = JSON.parse(typeof user.content === "string" ? user.content : user.content[0].text);
    return { usage: new Usage(), output: [{ type: "function_call", callId: `call_${randomUUID()}`, name: wanted.name,
      arguments: JSON.stringify(wanted.arguments), status: "completed" }] };
  },
  async *getStreamedResponse() {
    throw new Error("the tests do not stream");
  },
};

const schema = (props) => ({ type: "object", properties: props, required: Object.keys(props),
  additionalProperties: false });

before(async () => {
  if (skip) return;
  useCase = await useCaseWithTools("oa",
    [{ name: "lookup" }, { name: "refund", route: "REVIEW" }, { name: "wipe", route: "BLOCK" }]);
  approvals = new OversightApprovals(new Oversight(env.OVERSIGHT_ROUTER_URL, env.OVERSIGHT_APP_TOKEN),
    { useCase, modelVersion: "agent-1", confidence: 0.95, waitSeconds: 30 });
  const tools = [
    tool({ name: "lookup", description: "Looks up an invoice", parameters: schema({ invoice: { type: "string" } }),
      strict: true, needsApproval: approvals.needsApproval("lookup"),
      execute: async ({ invoice }) => { executed.push(["lookup", invoice]); return `${invoice}: paid 120`; } }),
    tool({ name: "refund", description: "Refunds an invoice",
      parameters: schema({ invoice: { type: "string" }, amount: { type: "number" } }), strict: true,
      needsApproval: approvals.needsApproval("refund"),
      execute: async ({ invoice, amount }) => { executed.push(["refund", invoice, amount]); return `refunded ${amount}`; } }),
    tool({ name: "wipe", description: "Deletes an invoice", parameters: schema({ invoice: { type: "string" } }),
      strict: true, needsApproval: approvals.needsApproval("wipe"),
      execute: async ({ invoice }) => { executed.push(["wipe", invoice]); return "wiped"; } }),
  ];
  agent = new Agent({ name: "payments", instructions: "Make the call you are asked to make.", model: scripted, tools });
});

const ask = (name, args) => JSON.stringify({ name, arguments: args });

test("a released call runs without an interruption", { skip }, async () => {
  const result = await run(agent, ask("lookup", { invoice: "INV-1" }));
  assert.equal(result.interruptions?.length ?? 0, 0);
  assert.equal(result.finalOutput, "tool said: INV-1: paid 120");
});

test("a reviewed call interrupts the run; a saved run resumes approved once people approve", { skip }, async () => {
  const first = await run(agent, ask("refund", { invoice: "INV-2", amount: 30 }));
  assert.equal(first.interruptions.length, 1);
  assert.equal(executed.filter((e) => e[1] === "INV-2").length, 0);
  const saved = first.state.toString();
  await judge(useCase, "APPROVE");
  const state = await RunState.fromString(agent, saved);
  const [settled] = await approvals.settle(state);
  assert.deepEqual([settled.status, settled.approved], ["APPROVED", true]);
  const resumed = await run(agent, state);
  assert.equal(resumed.finalOutput, "tool said: refunded 30");
  assert.deepEqual(executed.at(-1), ["refund", "INV-2", 30]);
});

test("a rejection, a block and a correction go back to the model as messages, and nothing runs", { skip },
  async () => {
    const before = executed.length;
    const rejected = await run(agent, ask("refund", { invoice: "INV-3", amount: 900 }));
    await judge(useCase, "REJECT", { rationale: "a voucher was already given" });
    await approvals.settle(rejected.state);
    assert.match((await run(agent, rejected.state)).finalOutput, /Their feedback: a voucher was already given/);

    const blocked = await run(agent, ask("wipe", { invoice: "INV-3" }));
    const [wipe] = await approvals.settle(blocked.state);
    assert.equal(wipe.status, "BLOCKED");
    assert.match((await run(agent, blocked.state)).finalOutput, /blocked this call \(TOOL_BLOCKED\)/);

    const corrected = await run(agent, ask("refund", { invoice: "INV-4", amount: 80 }));
    await judge(useCase, "CORRECT", { rationale: "half until the goods are back",
      correctedOutput: { name: "refund", arguments: { invoice: "INV-4", amount: 40 } } });
    await approvals.settle(corrected.state);
    assert.match((await run(agent, corrected.state)).finalOutput,
      /corrected this call: call refund with arguments .*"amount":40.*Why: half until the goods are back/);
    assert.equal(executed.length, before);
  });
