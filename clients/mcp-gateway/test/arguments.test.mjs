// The gateway's command line: what it takes, and what it refuses before it starts.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "../dist/gateway.js";

const env = { OVERSIGHT_TOKEN: "t" };
const base = ["--router", "http://localhost:8091", "--use-case", "invoices"];

test("a server command after --, per-tool use cases, and the defaults", () => {
  const s = parse([...base, "--tool-use-case", "refund=refunds", "--confidence", "0.9", "--", "node", "server.mjs"],
    env);
  assert.deepEqual(s.upstreamCommand, ["node", "server.mjs"]);
  assert.equal(s.toolUseCases.get("refund"), "refunds");
  assert.equal(s.confidence, 0.9);
  assert.deepEqual([s.modelVersion, s.waitSeconds, s.progressSeconds], ["mcp", 3600, 5]);
  assert.equal(parse([...base, "--upstream-url", "http://localhost:9/mcp"], env).upstreamUrl, "http://localhost:9/mcp");
});

test("bad command lines are refused with the reason", () => {
  assert.throws(() => parse([...base, "--", "node"], {}), /OVERSIGHT_TOKEN is not set/);
  assert.throws(() => parse(["--use-case", "x", "--", "node"], env), /--router is required/);
  assert.throws(() => parse(base, env), /name the upstream server/);
  assert.throws(() => parse([...base, "--upstream-url", "http://x", "--", "node"], env), /name the upstream server/);
  assert.throws(() => parse([...base, "--wait-seconds", "soon", "--", "node"], env), /--wait-seconds takes a number/);
  assert.throws(() => parse([...base, "--confidence", "1.5", "--", "node"], env), /--confidence takes a number/);
  assert.throws(() => parse([...base, "--tool-use-case", "refund", "--", "node"], env), /TOOL=NAME/);
  assert.throws(() => parse([...base, "stray", "--", "node"], env), /unexpected argument stray/);
});
