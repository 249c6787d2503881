/**
 * Oversight in a LangGraph graph: a node helper that gates an agent's tool call before it runs.
 *
 * In a node, `await gate.toolCall(call, config)`: RELEASE answers `{ action: "run", call }` at once; BLOCK answers
 * `{ action: "refuse", ... }` with the reasons, to return to the model; REVIEW pauses the graph with `interrupt()`,
 * whose value carries the decision id. The app resumes the thread with `new Command({ resume: decisionId })` once
 * people decided (`resumeWhenDecided` waits and does it); the node then answers the approved or edited call, or the
 * reviewers' feedback. The route is idempotent per thread and call, so the node's re-run on resume finds the same
 * decision, and resuming twice is harmless: a decision people have not finished pauses the graph again.
 */
import { createHash } from "node:crypto";
import { Command, interrupt } from "@langchain/langgraph";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { type Decision, type Json, Oversight, type ToolCall, isFinal } from "@oversight/client";

/** What the gate lets the agent do. */
export type GateOutcome =
  | { action: "run"; call: ToolCall; decisionId: string }
  | { action: "refuse"; decisionId: string; status: string; reasons: string[]; feedback?: string; message: string };

/** The value of the interrupt a reviewed call pauses the graph with. */
export interface ReviewInterrupt {
  kind: "oversight-review";
  decisionId: string;
  call: ToolCall;
}

export interface GateOptions {
  useCase: string;
  modelVersion: string;
  /** The agent's confidence in its calls, or a function of the call. */
  confidence?: number | ((call: ToolCall) => number);
}

export class OversightGate {
  constructor(private readonly client: Oversight, private readonly options: GateOptions) {}

  /** Gates one tool call, from inside a node (pass the node's config: its thread makes the route idempotent). */
  async toolCall(call: ToolCall, config?: LangGraphRunnableConfig): Promise<GateOutcome> {
    const thread = String(config?.configurable?.thread_id ?? "no-thread");
    const key = `lg-${createHash("sha256").update(JSON.stringify([thread, call.name, call.arguments])).digest("hex")}`;
    const confidence = typeof this.options.confidence === "function" ? this.options.confidence(call)
      : this.options.confidence;
    let decision = await this.client.routeToolCall(this.options.useCase, this.options.modelVersion, call,
      { idempotencyKey: key, ...(confidence === undefined ? {} : { confidence }) });
    if (decision.status === "PENDING_REVIEW" || decision.route === "REVIEW") {
      decision = await this.client.decision(decision.decisionId);
      while (!isFinal(decision)) {
        interrupt<ReviewInterrupt, unknown>({ kind: "oversight-review", decisionId: decision.decisionId, call });
        decision = await this.client.decision(decision.decisionId);
      }
    }
    return outcome(decision, call);
  }
}

function outcome(d: Decision, asked: ToolCall): GateOutcome {
  if (d.status === "RELEASED") {
    return { action: "run", call: asked, decisionId: d.decisionId };
  }
  const final = d.finalOutput as { name?: string; arguments?: { [key: string]: Json } } | null | undefined;
  if (d.status !== "BLOCKED" && final && typeof final.name === "string") {
    return { action: "run", call: { name: final.name, arguments: final.arguments ?? {} }, decisionId: d.decisionId };
  }
  const message = d.status === "BLOCKED" ? `Oversight blocked this call (${d.reasons.join(", ")}).`
    : `People reviewing this call did not allow it (${d.status}).${d.feedback ? ` Their feedback: ${d.feedback}` : ""}`;
  return { action: "refuse", decisionId: d.decisionId, status: d.status, reasons: d.reasons,
    ...(d.feedback ? { feedback: d.feedback } : {}), message };
}

/** The review interrupts a graph's answer carries (its `__interrupt__` values of this gate). */
export function reviewInterrupts(result: unknown): ReviewInterrupt[] {
  const interrupts = (result as { __interrupt__?: { value?: unknown }[] } | undefined)?.__interrupt__ ?? [];
  return interrupts.map((i) => i.value as ReviewInterrupt).filter((v) => v?.kind === "oversight-review");
}

/** Waits until people decided the paused call, then resumes the thread; answers the graph's new result. */
export async function resumeWhenDecided<T>(client: Oversight,
                                           graph: { invoke(input: unknown, config: unknown): Promise<T> },
                                           config: LangGraphRunnableConfig, paused: ReviewInterrupt,
                                           timeoutSeconds = 3600): Promise<T> {
  await client.wait(paused.decisionId, timeoutSeconds);
  return graph.invoke(new Command({ resume: paused.decisionId }), config);
}
