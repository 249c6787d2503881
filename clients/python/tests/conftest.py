"""Fixtures for the tests against the real services: the `clients` Maven module starts the stack (embedded
PostgreSQL and the three service jars) and passes its addresses and tokens in the environment."""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

import httpx
import pytest

from oversight import Oversight

ENV = ("OVERSIGHT_ROUTER_URL", "OVERSIGHT_REVIEW_URL", "OVERSIGHT_APP", "OVERSIGHT_APP_TOKEN",
       "OVERSIGHT_ADMIN_TOKEN", "OVERSIGHT_REVIEWER_TOKEN")


@pytest.fixture(scope="session")
def stack() -> dict[str, str]:
    missing = [name for name in ENV if not os.environ.get(name)]
    if missing:
        pytest.skip("no running stack (the clients module's ClientsIT starts one); missing " + ", ".join(missing))
    return {name: os.environ[name] for name in ENV}


@pytest.fixture
def client(stack: dict[str, str]) -> Oversight:
    with Oversight(stack["OVERSIGHT_ROUTER_URL"], stack["OVERSIGHT_APP_TOKEN"]) as c:
        yield c


@pytest.fixture
def admin(stack: dict[str, str]) -> httpx.Client:
    with httpx.Client(base_url=stack["OVERSIGHT_ROUTER_URL"], timeout=10,
                      headers={"Authorization": "Bearer " + stack["OVERSIGHT_ADMIN_TOKEN"]}) as c:
        yield c


@pytest.fixture
def use_case(admin: httpx.Client) -> str:
    """A fresh use case whose policy releases above 0.8, lets every app in, reviews refunds and lists the tools."""
    name = "py-" + uuid.uuid4().hex[:10]
    policy = {"apps": ["*"], "threshold": 0.8, "auditSampleRate": 0,
              "tools": [{"name": "lookup"}, {"name": "pay"}, {"name": "refund", "route": "REVIEW"},
                        {"name": "credit_note"}],
              "blockRules": [{"name": "large-payment",
                              "when": "toolCall.name == 'pay' && toolCall.arguments.amount > 10000"}]}
    answer = admin.put(f"/v1/use-cases/{name}/policy", json=policy)
    assert answer.status_code == 201, answer.text
    return name


class Reviewer:
    """A person judging through the review API, as the console does."""

    def __init__(self, stack: dict[str, str]) -> None:
        self.http = httpx.Client(base_url=stack["OVERSIGHT_REVIEW_URL"], timeout=10,
                                 headers={"Authorization": "Bearer " + stack["OVERSIGHT_REVIEWER_TOKEN"]})

    def judge(self, use_case: str, verdict: str, **fields: Any) -> dict[str, Any]:
        """Claims the use case's next task (waiting for the router's outbox to deliver it) and gives a verdict."""
        deadline = time.monotonic() + 30
        while True:
            claimed = self.http.post("/v1/tasks/claim-next", json={"useCase": use_case})
            if claimed.status_code == 200:
                break
            assert claimed.status_code == 204, claimed.text
            assert time.monotonic() < deadline, f"no task of {use_case} reached the review service"
            time.sleep(0.2)
        task = claimed.json()
        body = {"leaseToken": task["leaseToken"], "verdict": verdict, **fields}
        answer = self.http.post(f"/v1/tasks/{task['taskId']}/verdict", json=body)
        assert answer.status_code == 200, answer.text
        return task


@pytest.fixture
def reviewer(stack: dict[str, str]) -> Reviewer:
    r = Reviewer(stack)
    yield r
    r.http.close()
