"""Measuring a candidate model with the client: a frozen benchmark's items read page by page, and a candidate's
results submitted in parts, against the real services."""

from __future__ import annotations


import pytest

from oversight import BadRequest, Oversight


def test_a_candidate_is_measured_on_a_benchmark_read_in_pages_and_submitted_in_parts(stack, client, admin, use_case,
                                                                                      reviewer):
    decided = []
    for total in (100, 200, 300):
        d = client.route(use_case=use_case, model_version="m1", output={"total": total}, confidence=0.3,
                         input={"invoice": total})
        reviewer.judge(use_case, "APPROVE")
        decided.append(d.decision_id)
    for decision_id in decided:
        assert client.wait(decision_id, timeout=30).status == "APPROVED"
    frozen = admin.post(f"/v1/use-cases/{use_case}/benchmarks", json={"name": "py"})
    assert frozen.status_code == 201, frozen.text

    with Oversight(stack["OVERSIGHT_ROUTER_URL"], stack["OVERSIGHT_ADMIN_TOKEN"]) as measuring:
        items = list(measuring.benchmark_items(use_case, 1, page_size=2))
        assert sorted(i["itemId"] for i in items) == sorted(decided)
        # The candidate misreads the largest total: one regression beside two items it gets right.
        results = [{"itemId": i["itemId"], "output": {"total": 3 if i["output"]["total"] == 300
                                                       else i["output"]["total"]}, "confidence": 0.9}
                   for i in items]
        report = measuring.evaluate(use_case, benchmark=1, model_version="m2", results=results, part_size=2)
        assert report["items"] == 3 and report["accuracy"]["bothRight"] == 2
        assert report["regressionCount"] == 1 and not report["significantRegression"]
        listed = admin.get(f"/v1/use-cases/{use_case}/evaluations").json()["items"]
        assert [e["status"] for e in listed] == ["COMPLETE"]

        with pytest.raises(BadRequest) as missing:
            measuring.evaluate(use_case, benchmark=1, model_version="m3", results=results[:2], part_size=5)
        assert missing.value.fields == ["results"]
        with pytest.raises(ValueError):
            measuring.evaluate(use_case, benchmark=1, model_version="m3", results=results, part_size=0)
