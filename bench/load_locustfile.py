"""The simulated users of bench/load.py (locust): mediators, lawyers and supervisors on the JSON API
and on the web pages.

Run by bench/load.py, not by hand: it reads the plan (tokens, venues, lawyers, the effective
cases waiting for payments) from $LOAD_PLAN and, when locust quits, writes every acknowledged
write (2xx), the conflicts and the unexpected answers to $LOAD_ACKS for the script to check
against the database.

Every user signs in to the web pages once at its start (GET /login for the CSRF token, POST
the form; 302 to the case list) and keeps that cookie session; the API calls carry its bearer
token instead (a web request sends no Authorization header).

- A mediator takes in referrals and advances the open cases of their prefecture (refer with a
  venue and a lawyer, start mediation, settle with every claim item agreed at 80%, now and then
  fail or extend), with the version it last saw: two mediators of a prefecture act on the same
  cases, so a stale version (409 `conflict`) is expected; the user then reads the case again.
  Now and then they open the case list page (/?q=...) and a case page (/cases/<number>).
- A lawyer records payments on the effective agreements of their account (read the case, pay
  part of what a worker is still owed, with that version) and closes a case once it is paid in
  full. One payment in five carries an Idempotency-Key and is sent a second time with the same
  key and body: the second answer must be the first one replayed (same status, same body,
  `Idempotent-Replayed: true`), and the check finds one payment for the receipt. The API has no
  endpoint for mediation sessions, so a lawyer records them on the web page: the cases of theirs
  in mediation (GET /api/v1/cases?state=mediating, those a mediator referred to them), the form
  GET /cases/<number>/session (its csrf_token, version and held_on), then the POST with outcome
  "continued" and a token LOAD-S-<hex> in the attendees and the notes: 302 to the case page is
  the acknowledgement, 409 a stale version (expected), a 302 on the GET a case that has left
  mediation meanwhile (skipped).
- A supervisor reads the recovery statistics and the case list (API) and the statistics page.
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import os
import random
import re
import time
import uuid
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

from locust import HttpUser, between, events, task
from stdnum.cn import ric, uscc

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
TODAY = dt.date.fromisoformat(PLAN["today"])

# What the server acknowledged (every write answered 2xx) and what went wrong.
ACKS: dict = {"created": [], "triggers": [], "payments": [], "conflicts": 0,
              "errors": [], "in_flight": [], "requests": [],
              # web: sessions recorded (302), their 409s, forms that found the case out of mediation
              "sessions": [], "session_conflicts": 0, "session_moved_on": 0,
              # payments sent twice with one Idempotency-Key: the first answer and the second
              "replays": []}
# The shared picture of the open cases, per prefecture: number -> {"state", "version", "claims", ...}.
OPEN: dict[str, dict[str, dict]] = {code: {} for code in PLAN["prefectures"]}
# The effective cases still owed money, per lawyer username: number -> {"version": int | None}.
OWED: dict[str, set[str]] = {name: set(numbers) for name, numbers in PLAN["effective"].items()}
# The cases referred to each lawyer (user id), from the mediators' acknowledged refer triggers.
ASSIGNED: dict[int, set[str]] = {}
# Every case of a prefecture (the effective ones, then those taken in): for the mediators' page reads.
KNOWN: dict[str, list[str]] = {code: [number for account in PLAN["accounts"]["lawyer"]
                                      if account["prefecture"] == code
                                      for number in PLAN["effective"][account["username"]]]
                               for code in PLAN["prefectures"]}
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


class _FormFields(HTMLParser):
    """The named inputs, selects (the selected option) and textareas of a page: what a browser posts."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attr = dict(attrs)
        name = attr.get("name")
        if tag == "input" and name and attr.get("type") not in ("checkbox", "radio", "submit", "button"):
            self.fields.setdefault(name, attr.get("value") or "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and (self._select not in self.fields or "selected" in attr):
            self.fields[self._select] = attr.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.setdefault(name, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def _form_fields(page: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(page)
    return parser.fields


def _page_messages(page: str) -> str:
    """What an HTML answer says to the user: its flashed alerts and field errors, else its title."""
    found = re.findall(r'class="(?:alert|invalid-feedback)[^"]*"[^>]*>(.*?)</div>', page, re.S)
    found = found or re.findall(r"<title>(.*?)</title>", page, re.S)
    texts = (" ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()) for text in found)
    return " | ".join(text for text in texts if text)[:500]


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
        self.last_text, self.last_headers = "", {}
        self.signed_in = self.sign_in()

    def call(self, method: str, path: str, name: str, body: dict | None = None,
             ok: tuple[int, ...] = (200, 201), headers: dict | None = None) -> tuple[int, dict | None]:
        """One request: 2xx is an acknowledgement, 409 `conflict` an expected stale version
        (a success for locust, counted apart), anything else an error (a failure for locust).
        The answer's text and headers stay in self.last_text and self.last_headers."""
        token = {"method": method, "path": path, "body": body}
        if body is not None:
            ACKS["in_flight"].append(token)
        try:
            with self.client.request(method, path, name=name, json=body, headers=headers,
                                     catch_response=True) as response:
                status = response.status_code
                self.last_text, self.last_headers = response.text, dict(response.headers)
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

    def web(self, method: str, path: str, name: str, form: dict | None = None,
            ok: dict[int, str | None] | None = None, conflict: bool = False) -> tuple[int, str]:
        """One web request with the cookie session, redirects not followed: a status of `ok` is a
        success (for a 302, only to the path given there, when one is), a 409 an expected stale
        version when `conflict`, anything else an error. Returns the status and the page."""
        ok = ok if ok is not None else {200: None}
        token = {"method": method, "path": path, "body": form}
        if form is not None:
            ACKS["in_flight"].append(token)
        try:
            with self.client.request(method, path, name=name, data=form, headers={"Authorization": None},
                                     allow_redirects=False, catch_response=True) as response:
                status, page = response.status_code, response.text
                location = urlsplit(response.headers.get("Location", "")).path
                if status in ok and (status not in (301, 302, 303) or ok[status] in (None, location)):
                    response.success()
                elif status == 409 and conflict:
                    response.success()
                else:
                    answer = f"redirect to {response.headers.get('Location')}" if location else _page_messages(page)
                    shown = {k: v for k, v in (form or {}).items() if k not in ("csrf_token", "password")} or None
                    ACKS["errors"].append({"method": method, "path": path, "status": status, "body": shown,
                                           "answer": answer})
                    response.failure(f"{status}")
                    status = -status  # the caller sees an error as negative
                return status, page
        finally:
            if form is not None:
                ACKS["in_flight"].remove(token)

    def sign_in(self) -> bool:
        """The /login form: its CSRF token from the page, then the POST; 302 to the case list."""
        status, page = self.web("GET", "/login", "GET /login (page)")
        if status != 200:
            return False
        form = {"csrf_token": _form_fields(page).get("csrf_token", ""), "username": self.account["username"],
                "password": PLAN["password"]}
        status, _page = self.web("POST", "/login", "POST /login", form, ok={302: "/"})
        return status == 302


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
            KNOWN[prefecture].append(data["number"])

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
            if trigger == "refer":
                ASSIGNED.setdefault(body["lawyer_id"], set()).add(number)
            if data["version"] > cases.get(number, {}).get("version", -1):
                seen.update(state=data["state"], version=data["version"],
                            extended=trigger == "extend" or seen.get("extended"))
            if data["state"] not in ("intake", "referred", "mediating"):
                cases.pop(number, None)
        elif status == 409:
            status, data = self.call("GET", f"/api/v1/cases/{number}", "GET /cases/{number}")
            if status == 200 and data["version"] > seen["version"]:
                seen.update(state=data["state"], version=data["version"])

    @task(1)
    def list_page(self) -> None:
        """The case list page, searching for part of a case number or the employers' common name."""
        if not self.signed_in:
            return
        known = KNOWN[self.account["prefecture"]]
        query = self.rng.choice(known)[-5:] if known and self.rng.random() < 0.5 else "负载测试"
        self.web("GET", f"/?q={quote(query)}", "GET / (case list page)")

    @task(1)
    def case_page(self) -> None:
        known = KNOWN[self.account["prefecture"]]
        if self.signed_in and known:
            self.web("GET", f"/cases/{self.rng.choice(known)}", "GET /cases/{number} (page)")


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
        path = f"/api/v1/cases/{number}/payments"
        if self.rng.random() >= 0.2:
            status, data = self.call("POST", path, "POST /payments", body, ok=(201,))
        else:
            # sent twice with one key: the second answer must be the first one, replayed
            headers = {"Idempotency-Key": f"load-{uuid.uuid4()}"}
            status, data = self.call("POST", path, "POST /payments (idempotency key)", body, ok=(201,),
                                     headers=headers)
            if status == 201:
                first_text = self.last_text
                again, replayed = self.call("POST", path, "POST /payments (replay)", body, ok=(201,),
                                            headers=headers)
                identical = (again == status and self.last_text == first_text
                             and self.last_headers.get("Idempotent-Replayed") == "true")
                ACKS["replays"].append({"number": number, "receipt_no": receipt, "first_status": status,
                                        "first_id": data["id"], "status": again,
                                        "id": (replayed or {}).get("id"), "identical": identical})
                if again == 201 and not identical:
                    ACKS["errors"].append({
                        "method": "POST", "path": path, "status": again, "body": body,
                        "answer": {"replay differs": {"first": first_text[:200], "again": self.last_text[:200],
                                                      "Idempotent-Replayed": self.last_headers.get(
                                                          "Idempotent-Replayed")}}})
        if status == 201:
            ACKS["payments"].append({"number": number, "worker_id": worker["id"], "amount_fen": amount,
                                     "receipt_no": receipt, "id": data["id"]})

    @task(1)
    def my_cases(self) -> None:
        self.call("GET", "/api/v1/cases?state=settled&per_page=25", "GET /cases (list)")

    @task(4)
    def record_session(self) -> None:
        """A mediation session on the web page of one of the lawyer's cases in mediation."""
        if not self.signed_in:
            return
        status, data = self.call("GET", "/api/v1/cases?state=mediating&per_page=100", "GET /cases (mediating)")
        mine = ASSIGNED.get(self.account["id"], set())
        numbers = [item["number"] for item in (data or {}).get("items", []) if item["number"] in mine]
        if status != 200 or not numbers:
            return
        number = self.rng.choice(numbers)
        path = f"/cases/{number}/session"
        status, page = self.web("GET", path, "GET /cases/{number}/session (form)",
                                ok={200: None, 302: f"/cases/{number}"})
        if status == 302:  # no longer in mediation: the page sends the lawyer back to the case
            ACKS["session_moved_on"] += 1
            return
        if status != 200:
            return
        fields = _form_fields(page)
        token = f"LOAD-S-{uuid.uuid4().hex}"
        form = {"csrf_token": fields.get("csrf_token", ""), "version": fields.get("version", ""),
                "held_on": fields.get("held_on") or TODAY.isoformat(), "outcome": "continued",
                "attendees": f"律师、劳动者代表、用人单位代表（{token}）",
                "notes": f"{token} 双方就拖欠工资的数额继续协商，约定下次调解时间。"}
        status, _page = self.web("POST", path, "POST /cases/{number}/session", form,
                                 ok={302: f"/cases/{number}"}, conflict=True)
        if status == 302:
            ACKS["sessions"].append({"number": number, "token": token, "held_on": form["held_on"],
                                     "version": int(form["version"] or 0)})
        elif status == 409:
            ACKS["session_conflicts"] += 1


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

    @task(1)
    def statistics_page(self) -> None:
        """The statistics page: this quarter (the page's default), or the year."""
        if self.signed_in:
            query = "?unit=year" if self.rng.random() < 0.3 else ""
            self.web("GET", f"/statistics{query}", "GET /statistics (page)")
