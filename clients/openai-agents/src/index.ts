/**
 * Oversight for the OpenAI Agents SDK: a tool's `needsApproval` asks Oversight, and the people's verdicts settle the
 * run's interruptions, so a run (or one saved with `state.toString()` and restored) resumes with their decisions.
 *
 * `needsApproval: approvals.needsApproval("refund")` routes the call (idempotent per tool call id, so the SDK's
 * re-evaluation after a restore finds the same decision): a released call needs no approval; a reviewed or blocked
 * one interrupts the run. `await approvals.settle(result.state)` waits for each interrupted call's final outcome and
 * approves it (APPROVE) or rejects it with a message for the model: the reviewers' feedback (REJECT), the block
 * reasons (BLOCK), or the call they corrected it to (CORRECT: the SDK runs a call as the model made it, so the model
 * is told the corrected call to make instead, which is routed again). Then `run(agent, state)` resumes.
 */
import { type Decision, type Json, Oversight, type ToolCall } from "@oversight/client";

export interface ApprovalOptions {
  useCase: string;
  modelVersion: string;
  /** The agent's confidence in its calls, or a function of the call. */
  confidence?: number | ((call: ToolCall) => number);
  /** How long settle waits for people, in seconds. Default an hour. */
  waitSeconds?: number;
}

/** The parts of the SDK's interruption item and run state this uses. */
interface ApprovalItem {
  rawItem: { callId?: string; id?: string; name?: string; arguments?: string };
}
interface RunStateLike {
  getInterruptions(): ApprovalItem[];
  approve(item: ApprovalItem): void;
  reject(item: ApprovalItem, options?: { message?: string }): void;
}

/** What settle did with one interrupted call. */
export interface Settled {
  callId: string;
  decisionId: string;
  status: string;
  approved: boolean;
  message?: string;
}

export class OversightApprovals {
  constructor(private readonly client: Oversight, private readonly options: ApprovalOptions) {}

  /** A `needsApproval` for a tool: true when Oversight does not release the call at once. */
  needsApproval(toolName: string): (context: unknown, input: unknown, callId?: string) => Promise<boolean> {
    return async (_context, input, callId) => {
      const decision = await this.route({ name: toolName, arguments: (input ?? {}) as { [key: string]: Json } },
        callId);
      return decision.status !== "RELEASED";
    };
  }

  /** Waits for the people's verdict on each interrupted call, and approves or rejects it in the run state. */
  async settle(state: RunStateLike): Promise<Settled[]> {
    const settled: Settled[] = [];
    for (const item of state.getInterruptions()) {
      const raw = item.rawItem;
      const callId = raw.callId ?? raw.id ?? "";
      const call: ToolCall = { name: raw.name ?? "", arguments: raw.arguments ? JSON.parse(raw.arguments) : {} };
      const routed = await this.route(call, callId);
      const d = await this.client.wait(routed.decisionId, this.options.waitSeconds ?? 3600);
      const verdict = judge(d, call);
      if (verdict.approved) {
        state.approve(item);
      } else {
        state.reject(item, { message: verdict.message });
      }
      settled.push({ callId, decisionId: d.decisionId, status: d.status, ...verdict });
    }
    return settled;
  }

  private route(call: ToolCall, callId?: string): Promise<Decision> {
    const confidence = typeof this.options.confidence === "function" ? this.options.confidence(call)
      : this.options.confidence;
    return this.client.routeToolCall(this.options.useCase, this.options.modelVersion, call, {
      ...(callId ? { idempotencyKey: `oa-${callId}` } : {}), ...(confidence === undefined ? {} : { confidence }) });
  }
}

function judge(d: Decision, asked: ToolCall): { approved: boolean; message?: string } {
  if (d.status === "RELEASED" || d.status === "APPROVED") {
    return { approved: true };
  }
  if (d.status === "BLOCKED") {
    return { approved: false, message: `Oversight blocked this call (${d.reasons.join(", ")}); do not retry it.` };
  }
  const corrected = d.finalOutput as { name?: string; arguments?: Json } | null | undefined;
  if (corrected && typeof corrected.name === "string") {
    const same = corrected.name === asked.name && JSON.stringify(sorted(corrected.arguments ?? {}))
      === JSON.stringify(sorted(asked.arguments));
    if (same) {
      return { approved: true };
    }
    return { approved: false, message: `A reviewer corrected this call: call ${corrected.name} with arguments `
      + `${JSON.stringify(corrected.arguments ?? {})} instead.${d.verdicts?.[0]?.rationale ? ` Why: ${d.verdicts[0].rationale}` : ""}` };
  }
  return { approved: false, message: `People reviewing this call did not allow it (${d.status}).`
    + (d.feedback ? ` Their feedback: ${d.feedback}` : "") };
}

function sorted(value: Json): Json {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as { [k: string]: Json })[k]!)]));
  }
  return value;
}
