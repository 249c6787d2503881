"""The Oversight client: route outputs and tool calls, read and wait for decisions and their audit receipts,
override a released one, and measure a candidate model on a frozen benchmark."""

from __future__ import annotations

import json
import math
import time
import uuid
from typing import Any, Iterator, Mapping, Sequence

import httpx

from .errors import Conflict, OversightError, Unavailable, WaitTimeout, from_response
from .models import Decision, ToolCall

_ABSENT = object()
# Answers that mean "not now": a retry of a request that is safe to repeat may succeed.
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_MAX_WAIT_SECONDS = 60  # the router's longest long poll


class Oversight:
    """A client of the routing service.

    ``Oversight("http://localhost:8091", token)``. Every call answers typed objects or raises an
    :class:`~oversight.errors.OversightError` subclass carrying the service's problem document. Requests that are
    safe to repeat (reads, and routes, which always carry an idempotency key: one is generated when the caller gives
    none) are retried on connection failures and on 429/502/503/504, ``retries`` times with exponential backoff;
    an override is never retried.
    """

    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0, retries: int = 3,
                 backoff: float = 0.2, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout, transport=transport,
                                  headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
        self._timeout = timeout
        self._retries = retries
        self._backoff = backoff

    def __enter__(self) -> "Oversight":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- routing -----------------------------------------------------------------------------------------------

    def route(self, *, use_case: str, model_version: str, output: Any = _ABSENT,
              tool_call: ToolCall | Mapping[str, Any] | None = None, confidence: float | None = None,
              probabilities: Mapping[str, float] | None = None, input: Any = None,
              attributes: Mapping[str, Any] | None = None, idempotency_key: str | None = None,
              callback_url: str | None = None, trajectory: Sequence[Mapping[str, Any]] | None = None,
              shadow: Sequence[Mapping[str, Any]] | None = None,
              signals: Mapping[str, float] | None = None) -> Decision:
        """Routes a model's ``output`` (or an agent's ``tool_call``): RELEASE, REVIEW or BLOCK, decided inline.

        ``trajectory``: the steps of the agent's run, ``[{"kind": "message" | "reasoning" | "tool_call" |
        "tool_result", "name": ..., "content": ...}]``. ``shadow``: what up to 4 candidate model versions answered
        on the same input, ``[{"modelVersion": ..., "output": ... | "toolCall": ..., "confidence": ...}]``, recorded
        and scored when people decide, never acted on. ``signals``: several confidence signals (at most 16), as the
        use case's policy names them, beside or instead of ``confidence``. Without an ``idempotency_key`` one is generated, so that a
        retry after a lost answer returns the same decision instead of making a second one.
        """
        body: dict[str, Any] = {"useCase": use_case, "modelVersion": model_version,
                                "idempotencyKey": idempotency_key or f"py-{uuid.uuid4()}"}
        if output is not _ABSENT:
            body["output"] = output
        if tool_call is not None:
            body["toolCall"] = tool_call.to_json() if isinstance(tool_call, ToolCall) else dict(tool_call)
        for name, value in (("confidence", confidence), ("probabilities", probabilities), ("input", input),
                            ("attributes", attributes), ("callbackUrl", callback_url), ("trajectory", trajectory),
                            ("shadow", shadow), ("signals", signals)):
            if value is not None:
                body[name] = value if not isinstance(value, Mapping) else dict(value)
        response = self._send("POST", "/v1/route", json=body, retry=True)
        return Decision.from_json(response.json(), replayed=response.headers.get("Idempotent-Replayed") == "true")

    def route_tool_call(self, *, use_case: str, model_version: str, name: str, arguments: Mapping[str, Any],
                        confidence: float | None = None, **options: Any) -> Decision:
        """Routes an agent's next action before it runs; takes the options of :meth:`route`."""
        return self.route(use_case=use_case, model_version=model_version,
                          tool_call=ToolCall(name, dict(arguments)), confidence=confidence, **options)

    # -- decisions ---------------------------------------------------------------------------------------------

    def decision(self, decision_id: str, *, wait_seconds: int | None = None) -> Decision:
        """The decision as it stands; with ``wait_seconds`` (at most 60) the router holds the answer until it is
        final or that time has passed."""
        params = {} if wait_seconds is None else {"waitSeconds": max(0, min(_MAX_WAIT_SECONDS, int(wait_seconds)))}
        timeout = self._timeout + params.get("waitSeconds", 0)
        response = self._send("GET", f"/v1/decisions/{decision_id}", params=params, retry=True, timeout=timeout)
        return Decision.from_json(response.json())

    def wait(self, decision_id: str, *, timeout: float = 300.0) -> Decision:
        """Waits (long polls, 60 s at a time) until the decision is final; raises
        :class:`~oversight.errors.WaitTimeout` when ``timeout`` seconds pass first."""
        deadline = time.monotonic() + timeout
        while True:
            # Whole seconds, rounded up: a last fraction of a second is one short long poll, not a spin of reads.
            remaining = deadline - time.monotonic()
            decision = self.decision(decision_id, wait_seconds=max(0, math.ceil(remaining)))
            if decision.final:
                return decision
            if time.monotonic() >= deadline:
                raise WaitTimeout(decision_id, timeout)

    def receipt(self, decision_id: str, *, event: str = "DECISION_MADE", timeout: float = 30.0) -> str:
        """The audit log's receipt of the decision's ``DECISION_MADE`` (or, once reviewed, ``OUTCOME_FINAL``) event:
        a C2SP tlog-proof text to keep, which the audit service's verifier checks offline with the log's vkey alone.
        A new event gets its receipt once a checkpoint covers it (seconds): until then the router answers 409, and
        this waits up to ``timeout`` seconds, then raises that :class:`~oversight.errors.Conflict`."""
        if event not in ("DECISION_MADE", "OUTCOME_FINAL"):
            raise ValueError("event must be DECISION_MADE or OUTCOME_FINAL")
        deadline = time.monotonic() + timeout
        while True:
            try:
                return self._send("GET", f"/v1/decisions/{decision_id}/receipt", params={"event": event},
                                  retry=True, headers={"Accept": "text/plain"}).text
            except Conflict:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(1.0)

    def override(self, decision_id: str, *, reason: str, output: Any = _ABSENT) -> Decision:
        """Reverses a released decision (admin, senior reviewer): it becomes OVERRIDDEN, with ``output`` in place
        of the released one, or none. Never retried: repeating it is not harmless."""
        body: dict[str, Any] = {"reason": reason}
        if output is not _ABSENT:
            body["output"] = output
        return Decision.from_json(self._send("POST", f"/v1/decisions/{decision_id}/override", json=body,
                                             retry=False).json())

    # -- measuring a new model (admin or service tokens) ---------------------------------------------------------

    def benchmark_items(self, use_case: str, version: int, *, page_size: int = 1000) -> Iterator[dict[str, Any]]:
        """The items of a frozen benchmark, in order, as dicts (an erased item is ``{itemId, sha256, erased}``),
        following the pages the router links (``Link: rel=next``)."""
        path: str | None = f"/v1/use-cases/{use_case}/benchmarks/{version}/items?limit={page_size}"
        while path is not None:
            response = self._send("GET", path, retry=True, headers={"Accept": "application/x-ndjson"})
            for line in response.text.splitlines():
                if line.strip():
                    yield json.loads(line)
            following = response.links.get("next")
            path = None if following is None else _path_of(following["url"])

    def evaluate(self, use_case: str, *, benchmark: int, model_version: str,
                 results: Sequence[Mapping[str, Any]], part_size: int = 1000) -> dict[str, Any]:
        """Submits a candidate's results on every item of a benchmark (``[{"itemId", "output" | "toolCall",
        "confidence"}]``), ``part_size`` at a time so that no request exceeds the router's body limit, and answers
        the evaluation's report (a dict: ``accuracy``, ``strata``, ``significantRegression``, ``regressions``...).
        Not retried: an evaluation is a new record each time."""
        if part_size < 1:
            raise ValueError("part_size must be at least 1")
        parts = [list(results[i:i + part_size]) for i in range(0, len(results), part_size)] or [[]]
        first = {"benchmark": benchmark, "modelVersion": model_version, "results": parts[0],
                 "complete": len(parts) == 1}
        answer = self._send("POST", f"/v1/use-cases/{use_case}/evaluations", json=first, retry=False).json()
        for i, part in enumerate(parts[1:], start=2):
            answer = self._send("POST", f"/v1/use-cases/{use_case}/evaluations/{answer['id']}/results",
                                json={"results": part, "complete": i == len(parts)}, retry=False).json()
        return answer

    # -- transport ---------------------------------------------------------------------------------------------

    def _send(self, method: str, path: str, *, retry: bool, timeout: float | None = None,
              **kwargs: Any) -> httpx.Response:
        attempts = 1 + (self._retries if retry else 0)
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._http.request(method, path, timeout=timeout or self._timeout, **kwargs)
            except httpx.TransportError as e:
                if last:
                    raise Unavailable(0, "No answer", f"{method} {path}: {e}") from e
                self._pause(attempt, None)
                continue
            if response.status_code < 400:
                return response
            if response.status_code in _RETRY_STATUSES and not last:
                self._pause(attempt, response.headers.get("Retry-After"))
                continue
            raise _error(response)
        raise AssertionError("unreachable")

    def _pause(self, attempt: int, retry_after: str | None) -> None:
        delay = self._backoff * (2 ** attempt)
        if retry_after is not None and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), 30.0))
        time.sleep(delay)


def _path_of(url: str) -> str:
    """The path and query of a link the router gave (absolute or relative), for this client's base URL."""
    parsed = httpx.URL(url)
    return parsed.raw_path.decode("ascii")


def _error(response: httpx.Response) -> OversightError:
    try:
        body: Any = response.json()
    except ValueError:
        body = response.text
    return from_response(response.status_code, body)
