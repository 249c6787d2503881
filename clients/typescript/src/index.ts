/**
 * Oversight's TypeScript client: route model outputs and agents' tool calls through calibrated human oversight,
 * wait for people's verdicts, keep the audit log's receipts of decisions, override a released output, and verify the
 * router's signed callbacks.
 * ESM, Node.js 18 or newer, the built-in fetch; no dependencies.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/** A value the router keeps as JSON. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An agent's action: a tool and its arguments. */
export interface ToolCall {
  name: string;
  arguments: { [key: string]: Json };
}

/** One step of an agent's run. */
export interface Step {
  kind: "message" | "reasoning" | "tool_call" | "tool_result";
  name?: string;
  content: Json;
}

/** What to route: exactly one of output and toolCall, and the options of POST /v1/route. */
export interface RouteRequest {
  useCase: string;
  modelVersion: string;
  output?: Json;
  toolCall?: ToolCall;
  confidence?: number;
  probabilities?: { [label: string]: number };
  /** Several confidence signals (at most 16), as the use case's policy names them; beside or instead of confidence. */
  signals?: { [name: string]: number };
  input?: Json;
  attributes?: { [key: string]: Json };
  /** Generated when absent, so that a retry returns the same decision. */
  idempotencyKey?: string;
  callbackUrl?: string;
  trajectory?: Step[];
  /** What up to 4 candidate model versions answered on the same input: recorded and scored, never acted on. */
  shadow?: Shadow[];
}

/** A candidate model's output (or tool call) sent along with a routed request, to be measured. */
export interface Shadow {
  modelVersion: string;
  output?: Json;
  toolCall?: ToolCall;
  confidence: number;
}

export type Route = "RELEASE" | "REVIEW" | "BLOCK";
export type Status = "RELEASED" | "PENDING_REVIEW" | "BLOCKED" | "APPROVED" | "REJECTED" | "CORRECTED" | "EXPIRED"
  | "OVERRIDDEN";

/** A verdict as the decision shows it. */
export interface Verdict {
  reviewer: string;
  verdict: "APPROVE" | "REJECT" | "CORRECT";
  rationale?: string | null;
  correctedOutput?: Json;
  process?: "SOUND" | "FLAWED";
  steps?: { index: number; verdict: "OK" | "WRONG"; note?: string | null }[];
  at?: string;
}

/**
 * A routing decision: the inline answer of route, or the full decision of decision and wait. finalOutput is what the
 * app may use (for a tool call, the call to execute; null when rejected or blocked).
 */
export interface Decision {
  decisionId: string;
  useCase: string;
  modelVersion: string;
  route: Route;
  status: Status;
  kind: "OUTPUT" | "TOOL_CALL";
  /** Null when the request carried signals instead of a confidence. */
  rawConfidence: number | null;
  calibratedConfidence: number | null;
  threshold: number | null;
  reasons: string[];
  policyVersion: number;
  calibratorVersion: number;
  requiredReviews?: number;
  reviewTaskId?: string;
  idempotencyKey?: string;
  createdAt: string;
  output?: Json;
  finalOutput?: Json;
  verdicts?: Verdict[];
  decidedAt?: string | null;
  feedback?: string;
  process?: "SOUND" | "FLAWED";
  trajectory?: Step[];
  /** Whether the router answered a repeated idempotency key with the decision it made before. */
  replayed?: boolean;
}

const FINAL: ReadonlySet<Status> = new Set<Status>(["RELEASED", "BLOCKED", "APPROVED", "REJECTED", "CORRECTED",
  "EXPIRED", "OVERRIDDEN"]);

/** Whether the decision's outcome is final (no more people to wait for). */
export function isFinal(decision: Decision): boolean {
  return FINAL.has(decision.status);
}

/** One field a request got wrong, as the service names it ("toolCall.arguments", "trajectory[3].kind"). */
export interface FieldError {
  field: string;
  message: string;
}

/** An answer that is not a success: the service's problem document (RFC 9457). */
export class OversightError extends Error {
  constructor(readonly status: number, readonly title: string, readonly detail?: string, readonly type?: string,
              readonly errors: FieldError[] = []) {
    super(`${status} ${title}${detail ? `: ${detail}` : ""}`);
    this.name = new.target.name;
  }

  /** The names of the fields the service refused, in its order. */
  get fields(): string[] {
    return this.errors.map((e) => e.field);
  }
}

/** 400: the request is invalid; errors names each field. */
export class BadRequest extends OversightError {}
/** 404: no such decision or use case. */
export class NotFound extends OversightError {}
/** 409: the state forbids it. */
export class Conflict extends OversightError {}
/** 5xx, 429 or no answer: try again later. */
export class Unavailable extends OversightError {}

/** No final outcome before the deadline: the decision is still with people. */
export class WaitTimeout extends Error {
  constructor(readonly decisionId: string, readonly seconds: number) {
    super(`decision ${decisionId} has no final outcome after ${seconds} s`);
    this.name = "WaitTimeout";
  }
}

export interface Options {
  /** Milliseconds a request may take (a long poll adds its wait). Default 10 s. */
  timeoutMs?: number;
  /** Retries of requests that are safe to repeat. Default 3. */
  retries?: number;
  /** First backoff in milliseconds, doubled each retry. Default 200. */
  backoffMs?: number;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const MAX_WAIT_SECONDS = 60;

/**
 * A client of the routing service: new Oversight("http://localhost:8091", token). Requests that are safe to repeat
 * (reads, and routes, which always carry an idempotency key) are retried on connection failures and on
 * 429/502/503/504; an override is never retried.
 */
export class Oversight {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(baseUrl: string, private readonly token: string, options: Options = {}) {
    this.base = baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 3;
    this.backoffMs = options.backoffMs ?? 200;
  }

  /** Routes an output or a tool call: RELEASE, REVIEW or BLOCK, decided inline. */
  async route(request: RouteRequest): Promise<Decision> {
    const body = { ...request, idempotencyKey: request.idempotencyKey ?? `ts-${randomUUID()}` };
    const response = await this.send("POST", "/v1/route", body, true, this.timeoutMs);
    const decision = (await response.json()) as Decision;
    decision.replayed = response.headers.get("Idempotent-Replayed") === "true";
    return decision;
  }

  /** Routes an agent's next action before it runs. */
  routeToolCall(useCase: string, modelVersion: string, call: ToolCall,
                options: Omit<RouteRequest, "useCase" | "modelVersion" | "output" | "toolCall"> = {}): Promise<Decision> {
    return this.route({ ...options, useCase, modelVersion, toolCall: call });
  }

  /** The decision; with waitSeconds (at most 60) the router holds the answer until it is final or that time passed. */
  async decision(decisionId: string, waitSeconds = 0): Promise<Decision> {
    const wait = Math.max(0, Math.min(MAX_WAIT_SECONDS, Math.floor(waitSeconds)));
    const path = `/v1/decisions/${encodeURIComponent(decisionId)}${wait > 0 ? `?waitSeconds=${wait}` : ""}`;
    const response = await this.send("GET", path, undefined, true, this.timeoutMs + wait * 1000);
    return (await response.json()) as Decision;
  }

  /** Waits (long polls, 60 s at a time) until the decision is final; rejects with WaitTimeout at the deadline. */
  async wait(decisionId: string, timeoutSeconds = 300): Promise<Decision> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    for (;;) {
      // Whole seconds, rounded up: a last fraction of a second is one short long poll, not a spin of reads.
      const remaining = Math.ceil((deadline - Date.now()) / 1000);
      const decision = await this.decision(decisionId, Math.max(0, remaining));
      if (isFinal(decision)) {
        return decision;
      }
      if (Date.now() >= deadline) {
        throw new WaitTimeout(decisionId, timeoutSeconds);
      }
    }
  }

  /**
   * The audit log's receipt of the decision's DECISION_MADE (or, once reviewed, OUTCOME_FINAL) event: a C2SP
   * tlog-proof text to keep, which the audit service's verifier checks offline with the log's vkey. A new event gets
   * its receipt once a checkpoint covers it (seconds): until then the router answers 409, and this waits up to
   * timeoutSeconds, then rejects with that Conflict.
   */
  async receipt(decisionId: string, event: "DECISION_MADE" | "OUTCOME_FINAL" = "DECISION_MADE",
    timeoutSeconds = 30): Promise<string> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    const path = `/v1/decisions/${encodeURIComponent(decisionId)}/receipt?event=${event}`;
    for (;;) {
      try {
        return await (await this.send("GET", path, undefined, true, this.timeoutMs, "text/plain")).text();
      } catch (e) {
        if (!(e instanceof Conflict) || Date.now() >= deadline) {
          throw e;
        }
        await sleep(1000);
      }
    }
  }

  /** Reverses a released decision (admin, senior reviewer). Never retried: repeating it is not harmless. */
  async override(decisionId: string, reason: string, output?: Json): Promise<Decision> {
    const body = output === undefined ? { reason } : { reason, output };
    const response = await this.send("POST", `/v1/decisions/${encodeURIComponent(decisionId)}/override`, body,
      false, this.timeoutMs);
    return (await response.json()) as Decision;
  }

  private async send(method: string, path: string, body: unknown, retry: boolean, timeoutMs: number,
    accept = "application/json"): Promise<Response> {
    const attempts = 1 + (retry ? this.retries : 0);
    for (let attempt = 0; ; attempt++) {
      const last = attempt === attempts - 1;
      let response: Response;
      try {
        response = await fetch(this.base + path, {
          method,
          headers: { Authorization: `Bearer ${this.token}`, Accept: accept,
            ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        if (last) {
          throw new Unavailable(0, "No answer", `${method} ${path}: ${(e as Error).message}`);
        }
        await sleep(this.backoffMs * 2 ** attempt);
        continue;
      }
      if (response.status < 400) {
        return response;
      }
      if (RETRY_STATUSES.has(response.status) && !last) {
        const after = Number(response.headers.get("Retry-After"));
        await sleep(Math.max(this.backoffMs * 2 ** attempt, Number.isFinite(after) ? Math.min(after, 30) * 1000 : 0));
        continue;
      }
      throw await problem(response);
    }
  }
}

async function problem(response: Response): Promise<OversightError> {
  let doc: { title?: string; detail?: string; type?: string; errors?: FieldError[] } = {};
  try {
    doc = (await response.json()) as typeof doc;
  } catch {
    // not a problem document: the status speaks
  }
  const args = [doc.title ?? `HTTP ${response.status}`, doc.detail, doc.type, doc.errors ?? []] as const;
  switch (response.status) {
    case 400: return new BadRequest(response.status, ...args);
    case 404: return new NotFound(response.status, ...args);
    case 409: return new Conflict(response.status, ...args);
    default:
      return response.status === 429 || response.status >= 500 ? new Unavailable(response.status, ...args)
        : new OversightError(response.status, ...args);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The delivery is not from the router holding this secret, was altered, or is too old or too new. */
export class InvalidSignature extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidSignature";
  }
}

/** Deliveries whose timestamp is further than this from now are refused (replays). */
export const TOLERANCE_SECONDS = 300;

/**
 * Standard Webhooks (v1) verification of a callback: throws InvalidSignature unless body (the raw text or bytes
 * received) was signed with secret (whsec_ + base64). Header names in any letter case.
 */
export function verifyWebhook(secret: string, headers: Record<string, string> | Headers, body: string | Uint8Array,
                              nowSeconds = Math.floor(Date.now() / 1000)): void {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) {
      return headers.get(name) ?? undefined;
    }
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    return key === undefined ? undefined : headers[key];
  };
  const id = get("webhook-id");
  const timestamp = get("webhook-timestamp");
  const signatures = get("webhook-signature");
  if (!id || !timestamp || !signatures) {
    throw new InvalidSignature("missing webhook-id, webhook-timestamp or webhook-signature");
  }
  const sent = Number(timestamp);
  if (!Number.isInteger(sent)) {
    throw new InvalidSignature("webhook-timestamp is not a number of seconds");
  }
  if (Math.abs(nowSeconds - sent) > TOLERANCE_SECONDS) {
    throw new InvalidSignature(`webhook-timestamp is more than ${TOLERANCE_SECONDS} s from now`);
  }
  const expected = Buffer.from(signWebhook(secret, id, sent, body).slice(3));
  for (const candidate of signatures.trim().split(/ +/)) {
    const comma = candidate.indexOf(",");
    const value = Buffer.from(candidate.slice(comma + 1));
    if (comma > 0 && candidate.slice(0, comma) === "v1" && value.length === expected.length
        && timingSafeEqual(value, expected)) {
      return;
    }
  }
  throw new InvalidSignature("no v1 signature matches");
}

/** The webhook-signature value (v1,<base64>) of a message, as the router sends it. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string | Uint8Array): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  const mac = createHmac("sha256", key).update(`${id}.${timestamp}.`).update(body);
  return `v1,${mac.digest("base64")}`;
}
