"""Cross-region walk (issue 7, part 9): every API operation of the OpenAPI document, as a
Yanbian user (mediator_yb), at Changchun cases (mediator_cc's).  Nothing may reach them:
every request naming such a case must answer exactly as for a case number that does not exist
(no existence oracle: same status, content type, problem code and body keys), never 2xx, and
never echo the case.  With a well-formed body that answer is 404 `not_found`; a malformed body
may be refused (422) before the case is looked up, identically for both.  Also the list, the region filters and the statistics for Changchun.

    .venv/bin/python scripts/cross_region.py BASE TOKEN_CC TOKEN_YB [OUT.json [REFERRAL.json]]

TOKEN_CC is used only to collect the Changchun numbers and to check they are real (200).
"""
from __future__ import annotations

import json
import sys
from collections import Counter

import requests

BASE, TOKEN_CC, TOKEN_YB = sys.argv[1:4]
OUT = sys.argv[4] if len(sys.argv) > 4 else None
CC = {"Authorization": f"Bearer {TOKEN_CC}"}
YB = {"Authorization": f"Bearer {TOKEN_YB}"}
api = requests.Session()

doc = api.get(f"{BASE}/api/v1/openapi.json", timeout=30).json()

# Changchun case numbers, every page of mediator_cc's list
numbers, states, page = [], Counter(), 1
while True:
    r = api.get(f"{BASE}/api/v1/cases", params={"page": page, "per_page": 100}, headers=CC, timeout=30)
    r.raise_for_status()
    items = r.json()["items"]
    if not items:
        break
    for item in items:
        assert item["region"]["code"].startswith("2201"), item
        numbers.append(item["number"])
        states[item["state"]] += 1
    page += 1
print(f"Changchun cases: {len(numbers)} {dict(states)}")
assert numbers

# A body per operation that would be valid on a case in the right state (so that a missing
# scope check would show as 200/201/409/422 instead of 404), and a malformed one.
BODIES = {
    "refer": {"venue_id": 1}, "reject": {"reason": "x"}, "withdraw": {"reason": "x"},
    "start_mediation": {}, "extend": {"days": 5, "agreement": "parties agree"},
    "settle": {"agreed": [{"claim_id": 1, "amount": "100.00"}]}, "fail": {"reason": "x"},
    "apply_confirmation": {"court": "长春市朝阳区人民法院"}, "enforce": {"kind": "payment_order"},
    "correct_claims": {"reason": "x", "claims": [{"worker_id": 1, "kind": "wages", "amount": "1.00"}]},
    "correct_party": {"party": "employer", "name": "x", "reason": "x"},
    "void_payment": {"payment_id": 1, "reason": "x"}, "cancel_session": {"session_id": 1, "reason": "x"},
    "reschedule_session": {"session_id": 1, "on_date": "2026-12-21", "starts_at": "09:00", "ends_at": "10:00",
                           "reason": "x"},
    "generate_agreement": {"confirm": True, "reason": "x"},
    "close": {}, "write_off": {"reason": "x"},
    "payments": {"worker_id": 1, "amount": "1.00", "paid_on": "2026-11-20", "method": "bank_transfer", "receipt_no": "R1"},
}
ghost = "220102-2026-99999"  # a well-formed number that does not exist

findings, results, not_404 = [], Counter(), Counter()


def body_for(path: str) -> dict:
    return BODIES.get(path.rstrip("/").rsplit("/", 1)[-1], {})


def probe(method: str, path: str, number: str, body):  # noqa: ANN001, ANN201
    url = BASE + "/api/v1" + path.replace("{number}", number) if not path.startswith("/api") else BASE + path.replace("{number}", number)
    kwargs = {"headers": YB, "timeout": 30}
    if method == "post":
        kwargs["json"] = body
    return api.request(method.upper(), url, **kwargs)


def shape(r):  # noqa: ANN001, ANN201
    try:
        data = r.json()
    except ValueError:
        return (r.status_code, r.headers.get("Content-Type"), None)
    if isinstance(data, dict):
        return (r.status_code, r.headers.get("Content-Type"), data.get("code"), tuple(sorted(data)))
    return (r.status_code, r.headers.get("Content-Type"), type(data).__name__)


operations = []
for path, item in doc["paths"].items():
    for method in item:
        if method in ("get", "post", "put", "patch", "delete") and "{number}" in path:
            operations.append((method, path))
print(f"operations naming a case: {len(operations)}")
server_path = lambda p: p if p.startswith("/api/v1") else "/api/v1" + p  # noqa: E731

for method, path in operations:
    full = server_path(path)
    for variant in ("valid", "malformed", "empty"):
        body = {"valid": body_for(path), "malformed": {"expected_version": "x", "junk": [1]}, "empty": {}}[variant]
        if method == "get" and variant != "valid":
            continue
        reference = shape(probe(method, full, ghost, body))
        for number in numbers:
            r = probe(method, full, number, body)
            results[(method.upper(), path, r.status_code)] += 1
            leaked = number in r.text
            if r.status_code != 404:
                not_404[(method.upper(), path, variant, r.status_code)] += 1
            if 200 <= r.status_code < 300 or shape(r) != reference or leaked:
                findings.append({"method": method.upper(), "path": full.replace("{number}", number),
                                 "variant": variant, "status": r.status_code, "body": r.text[:300],
                                 "reference": list(reference)})

print(f"operation requests done: {sum(results.values())}, findings so far: {len(findings)}", flush=True)
# the list, the filters and the statistics
extra = []
for params in ({"region": "220100"}, {"region": "220102"}, {"q": numbers[0]}, {"q": "2201"}, {"employer": "9122"}):
    r = api.get(f"{BASE}/api/v1/cases", params=params, headers=YB, timeout=30)
    got = [i["number"] for i in r.json().get("items", [])] if r.status_code == 200 else []
    cc_items = [n for n in got if n.startswith("2201")]
    extra.append({"request": f"GET /api/v1/cases {params}", "status": r.status_code, "changchun_items": len(cc_items)})
    if cc_items:
        findings.append({"request": f"GET /api/v1/cases {params}", "status": r.status_code, "items": cc_items[:5]})
for region in ("220100", "220102", "220000"):
    r = api.get(f"{BASE}/api/v1/stats/recovery", params={"from": "2026-01-01", "to": "2026-11-30", "region": region},
                headers=YB, timeout=30)
    extra.append({"request": f"GET /api/v1/stats/recovery region={region}", "status": r.status_code})
    if r.status_code not in (403, 404):
        findings.append({"request": f"GET /api/v1/stats/recovery region={region}", "status": r.status_code, "body": r.text[:300]})
body = json.load(open(sys.argv[5])) if len(sys.argv) > 5 else None
if body:
    body = {**body, "referral_ref": body["referral_ref"] + "-yb"}
    r = api.post(f"{BASE}/api/v1/cases", json=body, headers=YB, timeout=30)
    extra.append({"request": "POST /api/v1/cases region_code=220102 as mediator_yb", "status": r.status_code,
                  "code": (r.json() or {}).get("code") if r.headers.get("Content-Type", "").endswith("json") else None})
    if r.status_code in (200, 201):
        findings.append({"request": "POST /api/v1/cases into Changchun as mediator_yb", "status": r.status_code, "body": r.text[:300]})

# control: the same numbers are real for their own region
control = Counter(api.get(f"{BASE}/api/v1/cases/{n}", headers=CC, timeout=30).status_code for n in numbers)

summary = {
    "changchun_cases": len(numbers), "states": dict(states), "operations": len(operations),
    "requests": sum(results.values()),
    "by_status": {f"{m} {p} -> {s}": c for (m, p, s), c in sorted(results.items())},
    "not_404_but_same_as_for_a_missing_case": {f"{m} {p} [{v}] -> {s}": c for (m, p, v, s), c in sorted(not_404.items())},
    "control_as_mediator_cc": dict(control), "list_and_stats": extra, "findings": findings,
}
print(json.dumps({k: v for k, v in summary.items() if k != "findings"}, ensure_ascii=False, indent=1))
print(f"FINDINGS: {len(findings)}")
for f in findings[:20]:
    print(json.dumps(f, ensure_ascii=False))
if OUT:
    json.dump(summary, open(OUT, "w"), ensure_ascii=False, indent=1)
sys.exit(1 if findings else 0)
