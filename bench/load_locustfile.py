"""The simulated users of bench/load.py (locust): mediators, lawyers and supervisors on the JSON API.

Run by bench/load.py, not by hand: it reads the plan (tokens, venues, lawyers, the effective
cases waiting for payments) from $LOAD_PLAN and, when locust quits, writes every acknowledged
write (2xx), the conflicts and the unexpected answers to $LOAD_ACKS for the script to check
against the database.

- A mediator takes in referrals and advances the open cases of their prefecture (refer with a
  venue and a lawyer, start mediation, settle with every claim item agreed at 80%, now and then
  fail or extend), with the version it last saw: two mediators of a prefecture act on the same
  cases, so a stale version (409 `conflict`) is expected; the user then reads the case again.
- A lawyer records payments on the effective agreements of their account (read the case, pay
  part of what a worker is still owed, with that version) and closes a case once it is paid in
  full. The API has no endpoint for mediation sessions, so none are recorded.
- A supervisor reads the recovery statistics and the case list.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import time
import uuid
from decimal import Decimal

from locust import HttpUser, between, events, task
from stdnum.cn import ric, uscc

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
TODAY = dt.date.fromisoformat(PLAN["today"])

# What the server acknowledged (every write answered 2xx) and what went wrong.
ACKS: dict = {"created": [], "triggers": [], "payments": [], "conflicts": 0,
              "errors": [], "in_flight": [], "requests": []}
# The shared picture of the open cases, per prefecture: number -> {"state", "version", "claims", ...}.
OPEN: dict[str, dict[str, dict]] = {code: {} for code in PLAN["prefectures"]}
# The effective cases still owed money, per lawyer username: number -> {"version": int | None}.
OWED: dict[str, set[str]] = {name: set(numbers) for name, numbers in PLAN["effective"].items()}
_counter = itertools.count(1)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _fen(yuan: str) -> int:
    return int(Decimal(yuan) * 100)


def _resident_id(rng: random.Random, area: str) -> str:
    born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 38))
    body = f"{area}{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ric.calc_check_digit(body + "0")


def _uscc(rng: random.Random, area: str) -> str:
    body = "91" + area + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body + "0")


@events.request.add_listener
def _timed(request_type, name, response_time, response_length, exception=None, **_kwargs) -> None:  # noqa: ANN001
    """Every request's name, end (epoch seconds), time taken (ms) and whether locust counted it failed."""
    ACKS["requests"].append((name, time.time(), response_time, exception is not None))


@events.quitting.add_listener
def _write_acks(environment, **_kwargs) -> None:  # noqa: ANN001
    with open(os.environ["LOAD_ACKS"], "w", encoding="utf-8") as out:
        json.dump(ACKS, out)


class ApiUser(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    role = ""

    def on_start(self) -> None:
        accounts = PLAN["accounts"][self.role]
        self.account = accounts[next(_counter) % len(accounts)]
        self.client.headers["Authorization"] = f"Bearer {self.account['token']}"
        self.rng = random.Random()

    def call(self, method: str, path: str, name: str, body: dict | None = None,
             ok: tuple[int, ...] = (200, 201)) -> tuple[int, dict | None]:
        """One request: 2xx is an acknowledgement, 409 `conflict` an expected stale version
        (a success for locust, counted apart), anything else an error (a failure for locust)."""
        token = {"method": method, "path": path, "body": body}
        if body is not None:
            ACKS["in_flight"].append(token)
        try:
            with self.client.request(method, path, name=name, json=body, catch_response=True) as response:
                status = response.status_code
                data = None
                try:
                    data = response.json()
                except ValueError:
                    pass
                if status in ok:
                    response.success()
                elif status == 409 and isinstance(data, dict) and data.get("code") == "conflict":
                    ACKS["conflicts"] += 1
                    response.success()
                else:
                    ACKS["errors"].append({"method": method, "path": path, "status": status, "body": body,
                                           "answer": data if data is not None else response.text[:500]})
                    response.failure(f"{status}")
                return status, data
        finally:
            if body is not None:
                ACKS["in_flight"].remove(token)


class Mediator(ApiUser):
    weight = 5
    role = "mediator"

    @task(4)
    def take_in(self) -> None:
        rng, prefecture = self.rng, self.account["prefecture"]
        area = rng.choice(PLAN["counties"][prefecture])
        ref = f"LOAD-{uuid.uuid4().hex[:16]}"
        workers = [{"name": f"劳动者{rng.randrange(10000)}", "id_number": _resident_id(rng, area),
                    "phone": f"138{rng.randrange(10**8):08d}",
                    "claims": [{"kind": "wages", "amount": f"{rng.randint(50, 600) * 100}.00"}]
                    + ([{"kind": "overtime", "amount": f"{rng.randint(5, 80) * 100}.00"}]
                       if rng.random() < 0.4 else [])}
                   for _ in range(rng.randint(1, 3))]
        body = {"channel": rng.choice(["court", "hr"]), "referral_ref": ref, "region_code": area,
                "employer": {"name": f"负载测试有限公司{rng.randrange(10**6)}", "uscc": _uscc(rng, area)},
                "summary": "用人单位拖欠工资。", "workers": workers}
        status, data = self.call("POST", "/api/v1/cases", "POST /cases (referral)", body, ok=(201,))
        if status == 201:
            ACKS["created"].append({"number": data["number"], "referral_ref": ref, "channel": body["channel"],
                                    "version": data["version"], "state": data["state"]})
            OPEN[prefecture][data["number"]] = {"state": data["state"], "version": data["version"],
                                                "claims": [(c["id"], _fen(c["claimed"])) for c in data["claims"]]}

    @task(6)
    def advance(self) -> None:
        rng, prefecture = self.rng, self.account["prefecture"]
        cases = OPEN[prefecture]
        if not cases:
            return
        number = rng.choice(list(cases))
        seen = cases[number]
        state = seen["state"]
        body: dict = {"expected_version": seen["version"]}
        if state == "intake":
            trigger = "refer"
            body |= {"venue_id": rng.choice(PLAN["venues"][prefecture]),
                     "lawyer_id": rng.choice(PLAN["lawyers"][prefecture])}
        elif state == "referred":
            trigger = "start_mediation"
        elif state == "mediating":
            roll = rng.random()
            if roll < 0.1:
                trigger, body["reason"] = "fail", "双方差距过大，未能达成一致"
            elif roll < 0.15 and not seen.get("extended"):
                trigger = "extend"
                body |= {"days": 10, "agreement": "双方同意延长调解期限"}
            else:
                trigger = "settle"
                body["agreed"] = [{"claim_id": cid, "amount": _yuan(claimed * 8 // 10)}
                                  for cid, claimed in seen["claims"]]
        else:
            cases.pop(number, None)
            return
        status, data = self.call("POST", f"/api/v1/cases/{number}/actions/{trigger}", f"POST /actions/{trigger}",
                                 body, ok=(200,))
        if status == 200:
            ACKS["triggers"].append({"number": number, "trigger": trigger, "state": data["state"],
                                     "version": data["version"]})
            if data["version"] > cases.get(number, {}).get("version", -1):
                seen.update(state=data["state"], version=data["version"],
                            extended=trigger == "extend" or seen.get("extended"))
            if data["state"] not in ("intake", "referred", "mediating"):
                cases.pop(number, None)
        elif status == 409:
            status, data = self.call("GET", f"/api/v1/cases/{number}", "GET /cases/{number}")
            if status == 200 and data["version"] > seen["version"]:
                seen.update(state=data["state"], version=data["version"])


class Lawyer(ApiUser):
    weight = 3
    role = "lawyer"

    @task(6)
    def pay(self) -> None:
        owed = OWED.get(self.account["username"])
        if not owed:
            return
        number = self.rng.choice(sorted(owed))
        status, case = self.call("GET", f"/api/v1/cases/{number}", "GET /cases/{number}")
        if status != 200:
            return
        unpaid = [w for w in case["workers"] if _fen(w["outstanding"]) > 0]
        if case["state"] != "settled":
            owed.discard(number)
            return
        if not unpaid:
            status, data = self.call("POST", f"/api/v1/cases/{number}/actions/close", "POST /actions/close",
                                     {"expected_version": case["version"], "note": "已全部履行"}, ok=(200,))
            if status == 200:
                ACKS["triggers"].append({"number": number, "trigger": "close", "state": data["state"],
                                         "version": data["version"]})
                owed.discard(number)
            return
        worker = self.rng.choice(unpaid)
        amount = min(_fen(worker["outstanding"]), self.rng.randint(100, 3000) * 100)
        receipt = f"LOAD-R-{uuid.uuid4().hex[:20]}"
        body = {"expected_version": case["version"], "worker_id": worker["id"], "amount": _yuan(amount),
                "method": "bank_transfer", "receipt_no": receipt}
        status, data = self.call("POST", f"/api/v1/cases/{number}/payments", "POST /payments", body, ok=(201,))
        if status == 201:
            ACKS["payments"].append({"number": number, "worker_id": worker["id"], "amount_fen": amount,
                                     "receipt_no": receipt, "id": data["id"]})

    @task(1)
    def my_cases(self) -> None:
        self.call("GET", "/api/v1/cases?state=settled&per_page=25", "GET /cases (list)")


class Supervisor(ApiUser):
    weight = 2
    role = "supervisor"

    @task(3)
    def recovery(self) -> None:
        start = TODAY.replace(month=1, day=1)
        self.call("GET", f"/api/v1/stats/recovery?from={start}&to={TODAY}", "GET /stats/recovery")

    @task(1)
    def recovery_month(self) -> None:
        start = TODAY.replace(day=1)
        self.call("GET", f"/api/v1/stats/recovery?from={start}&to={TODAY}&kind=wages", "GET /stats/recovery (kind)")

    @task(2)
    def case_list(self) -> None:
        self.call("GET", "/api/v1/cases?per_page=25", "GET /cases (list)")
