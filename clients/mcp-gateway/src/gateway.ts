#!/usr/bin/env node
/**
 * An MCP gateway: it fronts an existing MCP server (a command over stdio, or a Streamable HTTP URL), lists its tools
 * unchanged, and routes every tools/call through Oversight as an agent's tool call before it reaches the server.
 * RELEASE or a person's APPROVE: the call goes through as asked. CORRECT: the edited call goes through. REJECT or
 * BLOCK: the client gets a tool error carrying the reviewers' feedback or the block reasons, and the server never sees
 * the call. While a person decides, the client gets progress notifications (when it asked for them).
 * Fails closed: when Oversight cannot be reached, the call is refused, not forwarded.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type Decision, type Json, Oversight, WaitTimeout } from "@oversight/client";

/** What the command line says. */
export interface Settings {
  router: string;
  token: string;
  useCase: string;
  /** Use case per tool, where it is not the server's. */
  toolUseCases: Map<string, string>;
  modelVersion: string;
  confidence?: number;
  waitSeconds: number;
  progressSeconds: number;
  upstreamCommand?: string[];
  upstreamUrl?: string;
}

const USAGE = `oversight-mcp-gateway --router URL --use-case NAME [--model-version V] [--confidence C]
    [--tool-use-case TOOL=NAME]... [--wait-seconds S] [--progress-seconds S]
    (--upstream-url URL | -- COMMAND [ARGS...])
The bearer token (an app's) comes from the environment: OVERSIGHT_TOKEN.`;

export function parse(argv: string[], env: NodeJS.ProcessEnv): Settings {
  const dash = argv.indexOf("--");
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const values = new Map<string, string[]>();
  for (let i = 0; i < own.length; i += 2) {
    const flag = own[i];
    const value = own[i + 1];
    if (!flag?.startsWith("--") || value === undefined) {
      throw new Error(`unexpected argument ${flag ?? ""}\n${USAGE}`);
    }
    values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  const one = (flag: string): string | undefined => values.get(flag)?.at(-1);
  const need = (flag: string): string => {
    const v = one(flag);
    if (!v) throw new Error(`${flag} is required\n${USAGE}`);
    return v;
  };
  const token = env.OVERSIGHT_TOKEN;
  if (!token) throw new Error(`OVERSIGHT_TOKEN is not set\n${USAGE}`);
  const toolUseCases = new Map<string, string>();
  for (const pair of values.get("--tool-use-case") ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new Error(`--tool-use-case takes TOOL=NAME, not ${pair}`);
    toolUseCases.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const confidence = one("--confidence");
  const settings: Settings = {
    router: need("--router"), token, useCase: need("--use-case"), toolUseCases,
    modelVersion: one("--model-version") ?? "mcp",
    waitSeconds: number("--wait-seconds", one("--wait-seconds") ?? "3600", 1, 86_400),
    progressSeconds: number("--progress-seconds", one("--progress-seconds") ?? "5", 1, 3600),
    confidence: confidence === undefined ? undefined : number("--confidence", confidence, 0, 1),
    upstreamUrl: one("--upstream-url"), upstreamCommand: dash < 0 ? undefined : argv.slice(dash + 1),
  };
  if (!settings.upstreamUrl === !(settings.upstreamCommand && settings.upstreamCommand.length > 0)) {
    throw new Error(`name the upstream server: --upstream-url URL, or -- COMMAND\n${USAGE}`);
  }
  return settings;
}

/** The server gets the gateway's environment (its own settings, keys) but never the gateway's Oversight token. */
function upstreamEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && key !== "OVERSIGHT_TOKEN") {
      out[key] = value;
    }
  }
  return out;
}

/** A number flag within [min, max]; anything else is refused at start rather than misread later. */
function number(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${flag} takes a number from ${min} to ${max}, not ${text}\n${USAGE}`);
  }
  return value;
}

function refusal(text: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text }] };
}

/** Why the call does not run, for the agent: the reviewers' feedback, the block reasons, or what ended it. */
function refusalOf(d: Decision): CallToolResult {
  if (d.status === "BLOCKED") {
    return refusal(`Oversight blocked this call (${d.reasons.join(", ")}); decision ${d.decisionId}.`);
  }
  const why = d.feedback ? ` Their feedback: ${d.feedback}` : "";
  return refusal(`People reviewing this call did not allow it (${d.status}); decision ${d.decisionId}.${why}`);
}

export async function start(settings: Settings): Promise<{ close(): Promise<void> }> {
  const upstream = new Client({ name: "oversight-mcp-gateway", version: "0.1.0" });
  const [command, ...args] = settings.upstreamCommand ?? [];
  await upstream.connect(settings.upstreamUrl !== undefined
    ? new StreamableHTTPClientTransport(new URL(settings.upstreamUrl))
    : new StdioClientTransport({ command: command!, args, stderr: "inherit", env: upstreamEnv(process.env) }));
  const oversight = new Oversight(settings.router, settings.token);
  const server = new Server({ name: "oversight-mcp-gateway", version: "0.1.0" }, { capabilities: { tools: {} } });

  server.setRequestHandler(ListToolsRequestSchema, (request) => upstream.listTools(request.params));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const name = request.params.name;
    const args = (request.params.arguments ?? {}) as { [key: string]: Json };
    let d: Decision;
    try {
      d = await oversight.routeToolCall(settings.toolUseCases.get(name) ?? settings.useCase, settings.modelVersion,
        { name, arguments: args }, settings.confidence === undefined ? {} : { confidence: settings.confidence });
    } catch (e) {
      return refusal(`Oversight could not route this call, so it was not made: ${(e as Error).message}`);
    }
    if (d.status === "PENDING_REVIEW") {
      const progressToken = request.params._meta?.progressToken;
      let beats = 0;
      const beat = () => {
        if (progressToken === undefined) return;
        extra.sendNotification({ method: "notifications/progress", params: { progressToken, progress: ++beats,
          message: `Waiting for a person to review this call (decision ${d.decisionId})` } }).catch(() => undefined);
      };
      beat();
      const timer = setInterval(beat, settings.progressSeconds * 1000);
      try {
        d = await oversight.wait(d.decisionId, settings.waitSeconds);
      } catch (e) {
        return refusal(e instanceof WaitTimeout
          ? `No person reviewed this call within ${settings.waitSeconds} s, so it was not made; decision ${d.decisionId}.`
          : `Oversight could not be asked about this call, so it was not made: ${(e as Error).message}`);
      } finally {
        clearInterval(timer);
      }
    }
    const call = d.status === "RELEASED" ? { name, arguments: args } : d.finalOutput as
      { name?: string; arguments?: { [key: string]: Json } } | null | undefined;
    if (d.status === "BLOCKED" || !call || typeof call.name !== "string") {
      return refusalOf(d);
    }
    return await upstream.callTool({ name: call.name, arguments: call.arguments ?? {} }, undefined,
      { timeout: 600_000 }) as CallToolResult;
  });

  await server.connect(new StdioServerTransport());
  return {
    async close() {
      await server.close();
      await upstream.close();
    },
  };
}

const invoked = process.argv[1] === undefined ? undefined : realpathSync(process.argv[1]);
if (invoked === fileURLToPath(import.meta.url)) {
  try {
    const gateway = await start(parse(process.argv.slice(2), process.env));
    const stop = () => { gateway.close().finally(() => process.exit(0)); };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
}
