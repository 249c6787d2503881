/**
 * The client's types checked against the routing service's OpenAPI document (openapi/routing.json, from which
 * src/generated/routing.ts is generated at build time): a field the client names that the API does not have, a
 * request field the client cannot send, or an enum that differs fails the build. The document itself is checked
 * against the running service by the project's tests. (The generated types are not exported as they are: the API's
 * JSON-valued fields, such as output, come out as Jackson's node classes or strings; the client types them as Json.)
 */
import type { components } from "./generated/routing.js";
import type { Decision, RouteRequest, Route, Shadow, Status, Step, ToolCall } from "./index.js";

type Schemas = components["schemas"];
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Expect<T extends true> = T;
/** Every key of A is a key of B. */
type Within<A, B> = Exclude<keyof A, keyof B> extends never ? true : false;

export type Contract = [
  Expect<Within<Omit<Decision, "replayed">, Schemas["DecisionResponse"]>>,
  Expect<Within<RouteRequest, Schemas["RouteRequest"]>>,
  Expect<Within<Schemas["RouteRequest"], RouteRequest>>,
  Expect<Within<ToolCall, Schemas["ToolCallRequest"]>>,
  Expect<Within<Shadow, Schemas["ShadowRequest"]>>,
  Expect<Within<Schemas["ShadowRequest"], Shadow>>,
  Expect<Within<Step, Schemas["Step"]>>,
  Expect<Equal<Route, Schemas["Route"]>>,
  Expect<Equal<Status, Schemas["DecisionStatus"]>>,
  Expect<Equal<Decision["kind"], Schemas["DecisionKind"]>>,
  Expect<Equal<Step["kind"], Schemas["StepKind"]>>,
  Expect<Equal<NonNullable<Decision["process"]>, Schemas["ProcessJudgement"]>>,
];
