"""Load: the app under gunicorn (4 workers), 50 simulated users for 60 seconds, then the database checked.

    .venv/bin/python bench/load.py [--database-url URL] [--users 50] [--duration 60]

Without --database-url: SQLite in a fresh instance folder (a temporary directory, removed at
exit). With it, PostgreSQL: **the script starts with DROP SCHEMA public CASCADE** on that
database, so give it one of its own (mediation_bench_load).

1. Setup, in this process through the app's own services: the schema (migrations), the
   regions, two prefectures (长春 220100, 延边 222400) with three venues, three mediators and
   three lawyers each, a supervisor each and one for the province, an API token per user, and
   for each lawyer eight cases already settled with an effective agreement (schedule, agreement
   PDF, every signature: the API has no endpoints for these), waiting for payments.
2. gunicorn -w 4 serves wsgi:app on that database (CSRF on, as in production); locust
   (bench/load_locustfile.py) drives it headless with --users users (mediators 5 : lawyers 3 :
   supervisors 2) for --duration seconds, on the JSON API and, signed in through the /login
   form, on the web pages: lawyers record mediation sessions there (the API has no endpoint for
   them), mediators open the case list and case pages, supervisors the statistics page. One
   lawyer payment in five is sent twice with one Idempotency-Key.
3. gunicorn is stopped and the database checked against what the users were acknowledged:
   every created case with its referral reference and no other; every payment (case, worker,
   amount, receipt number) and no other, so the money per case equals the acknowledged sum,
   and one payment for each receipt sent twice, whose second answer replayed the first;
   every acknowledged mediation session (by the token in its notes) once, on its case, and no
   other, with one 'session' event each; each case's state is that of its last acknowledged
   trigger, its events form a chain of states ending in that state, with one event per
   acknowledged trigger; then `flask audit verify` and `flask stats verify`.

It prints requests per second and p50/p95/p99 latency per request type and in total, the
errors (5xx, connection failures, unexpected 4xx, a web 400 or a redirect elsewhere than
expected) and the expected conflicts (409 on a stale version), the sessions and the replays,
and the checks; exit status 1 on any error or lost write.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import reset_postgres  # noqa: E402

PREFECTURES = {"220100": ["220102", "220103", "220104", "220105"], "222400": ["222401", "222403", "222405"]}
PASSWORD = "load-pass-2026"
EFFECTIVE_PER_LAWYER = 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_env(instance: Path, database_url: str | None) -> dict:
    env = dict(os.environ, MEDIATION_INSTANCE_PATH=str(instance), FLASK_APP="wsgi:app", PYTHONPATH=str(ROOT))
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


# --- setup -----------------------------------------------------------------------------------

def _effective_case(rng: random.Random, mediator, lawyer, venue, area: str, index: int) -> str:  # noqa: ANN001
    from stdnum.cn import ric, uscc

    from mediation.cases import services
    from mediation.cases.intake import IntakeInput, WorkerInput, case_intake
    from mediation.common.timeutil import today
    from mediation.settlements.schedule import InstallmentInput, schedule_set
    from mediation.settlements.services import agreement_generate
    from mediation.settlements.signing import required_parties, signature_record

    def resident_id() -> str:
        body = f"{area}{dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(12000)):%Y%m%d}{rng.randrange(1000):03d}"
        return body + ric.calc_check_digit(body + "0")

    body = "91" + area + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    received = today() - dt.timedelta(days=40)
    workers = [WorkerInput(name=f"工人{index}-{n}", id_number=resident_id(), phone="",
                           claims={"wages": f"{rng.randint(100, 400) * 100}.00"}) for n in range(rng.randint(1, 3))]
    case, _warnings = case_intake(actor=mediator, data=IntakeInput(
        channel="court", region_code=area, received_on=received, employer_name=f"预置用人单位{index}",
        employer_uscc=body + uscc.calc_check_digit(body + "0"), workers=workers, referral_ref=f"SEED-{index:04d}",
        summary="拖欠工资", employer_legal_representative="", employer_address="", language="zh"))
    services.case_refer(case=case, actor=mediator, expected_version=None, venue=venue, lawyer=lawyer,
                        referred_on=received)
    services.case_start_mediation(case=case, actor=lawyer, expected_version=None, started_on=received)
    held = received + dt.timedelta(days=5)
    services.case_settle(case=case, actor=lawyer, expected_version=None,
                         agreed_fen={item.id: item.claimed_fen for item in case.claims}, settled_on=held)
    schedule_set(case=case, actor=lawyer, expected_version=None, rows=[
        InstallmentInput(worker_id=w.id, due_on=held + dt.timedelta(days=14), amount_fen=case.agreed_for(w))
        for w in case.workers])
    agreement_generate(case=case, actor=lawyer, verify_url="http://127.0.0.1/verify")
    signature_record(case=case, actor=lawyer, expected_version=None, parties=required_parties(case), signed_on=held)
    return case.number


def setup(instance: Path, database_url: str | None) -> dict:
    """Schema, regions, users, tokens, venues and the effective cases; the plan for locust."""
    os.environ.update({k: v for k, v in app_env(instance, database_url).items() if k in (
        "MEDIATION_INSTANCE_PATH", "DATABASE_URL")})
    if not database_url:
        os.environ.pop("DATABASE_URL", None)
    from flask_migrate import upgrade

    from mediation import create_app
    from mediation.admin.services import user_create, venue_save
    from mediation.common.timeutil import today
    from mediation.extensions import db
    from mediation.lawyers.services import lawyer_profile_save
    from mediation.regions.tree import regions_load
    from mediation.tokens.services import token_issue

    app = create_app()
    rng = random.Random(2026)
    plan: dict = {"today": today().isoformat(), "password": PASSWORD, "prefectures": list(PREFECTURES),
                  "counties": PREFECTURES,
                  "venues": {}, "lawyers": {}, "effective": {},
                  "accounts": {"mediator": [], "lawyer": [], "supervisor": []}}
    with app.app_context():
        upgrade()
        regions_load()
        db.session.commit()

        def token(user, role: str, prefecture: str) -> None:  # noqa: ANN001
            _row, raw = token_issue(user=user, actor=None, name="bench/load.py")
            plan["accounts"][role].append({"username": user.username, "id": user.id, "token": raw,
                                           "prefecture": prefecture})

        province = user_create(actor=None, username="load_supervisor", full_name="省督导", role="supervisor",
                               region_code="220000", password=PASSWORD)
        token(province, "supervisor", "220000")
        index = 0
        for code in PREFECTURES:
            venues = [venue_save(actor=None, venue=None, name=f"{code}调解工作室{n}", kind=kind, region_code=code)
                      for n, kind in enumerate(("court_workroom", "arbitration_workroom", "union_committee"))]
            mediators = [user_create(actor=None, username=f"load_mediator_{code}_{n}", full_name=f"调解员{code}-{n}",
                                     role="mediator", region_code=code, password=PASSWORD) for n in range(3)]
            lawyers = [lawyer_profile_save(
                actor=None, user=None, username=f"load_lawyer_{code}_{n}", full_name=f"律师{code}-{n}",
                region_code=code, password=PASSWORD, law_firm="吉林负载律师事务所",
                licence_no=f"1{code[:4]}2015{n}{rng.randrange(10**7):07d}"[:17], phone="",
                languages=["zh"], specialties=["wages"]) for n in range(3)]
            supervisor = user_create(actor=None, username=f"load_supervisor_{code}", full_name=f"督导{code}",
                                     role="supervisor", region_code=code, password=PASSWORD)
            db.session.flush()
            plan["venues"][code] = [v.id for v in venues]
            plan["lawyers"][code] = [lawyer.id for lawyer in lawyers]
            for user in mediators:
                token(user, "mediator", code)
            for user in lawyers:
                token(user, "lawyer", code)
                plan["effective"][user.username] = []
                for _ in range(EFFECTIVE_PER_LAWYER):
                    index += 1
                    plan["effective"][user.username].append(_effective_case(
                        rng, mediators[0], user, venues[0], rng.choice(PREFECTURES[code]), index))
            token(supervisor, "supervisor", code)
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return plan


# --- the run ---------------------------------------------------------------------------------

def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/api/v1/openapi.json", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within a minute")


def run_load(work: Path, env: dict, users: int, duration: int) -> Path:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = work / "gunicorn.log"
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "120",
         "--error-logfile", str(log), "wsgi:app"], cwd=ROOT, env=env)
    try:
        wait_until_up(url, gunicorn)
        with open(work / "locust.log", "w", encoding="utf-8") as out:
            subprocess.run(
                [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/load_locustfile.py"), "--headless",
                 "-u", str(users), "-r", str(max(users // 5, 1)), "-t", f"{duration}s", "--stop-timeout", "30",
                 "--host", url, "--only-summary", "--loglevel", "WARNING"],
                cwd=ROOT, env=env, check=False, stdout=out, stderr=subprocess.STDOUT)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=60)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait()
    return log


# --- the checks ------------------------------------------------------------------------------

SESSION_TOKEN = re.compile(r"LOAD-S-[0-9a-f]{32}")


def check(database_url: str, plan: dict, acks: dict, found: dict) -> list[str]:
    """Everything acknowledged is in the database, and nothing else; the histories hold together.
    `found` gets what the report says of the replays (the payments stored per replayed receipt)."""
    from sqlalchemy import create_engine, text

    problems: list[str] = []
    engine = create_engine(database_url)
    with engine.connect() as connection:
        cases = {row.number: row for row in connection.execute(text(
            "SELECT id, number, referral_ref, channel, state, version FROM case_file"))}
        seeded = {number for numbers in plan["effective"].values() for number in numbers}
        created = {ack["number"]: ack for ack in acks["created"]}
        for number, ack in created.items():
            row = cases.get(number)
            if row is None:
                problems.append(f"lost write: acknowledged case {number} ({ack['referral_ref']}) is missing")
            elif row.referral_ref != ack["referral_ref"] or row.channel != ack["channel"]:
                problems.append(f"case {number}: referral {row.channel}/{row.referral_ref}, acknowledged "
                                f"{ack['channel']}/{ack['referral_ref']}")
        extra = set(cases) - set(created) - seeded
        in_flight_refs = {t["body"].get("referral_ref") for t in acks["in_flight"] if t["body"]}
        for number in sorted(extra):
            if cases[number].referral_ref not in in_flight_refs:
                problems.append(f"case {number} ({cases[number].referral_ref}) was never acknowledged")

        # payments
        acked_payments = {(p["number"], p["worker_id"], p["amount_fen"], p["receipt_no"]) for p in acks["payments"]}
        stored = collections.Counter(
            (row.number, row.worker_id, row.amount_fen, row.receipt_no) for row in connection.execute(text(
                "SELECT c.number, p.worker_id, p.amount_fen, p.receipt_no FROM payment p "
                "JOIN case_file c ON c.id = p.case_id")))
        for key in sorted(acked_payments - set(stored)):
            problems.append(f"lost write: acknowledged payment {key} is missing")
        for key, count in stored.items():
            if count > 1:
                problems.append(f"payment {key} stored {count} times")
        in_flight_receipts = {t["body"].get("receipt_no") for t in acks["in_flight"] if t["body"]}
        for key in sorted(set(stored) - acked_payments):
            if key[3] not in in_flight_receipts:
                problems.append(f"payment {key} was never acknowledged")
        acked_sum = collections.Counter()
        for p in acks["payments"]:
            acked_sum[p["number"]] += p["amount_fen"]
        stored_sum = collections.Counter()
        for (number, _worker, amount, _receipt), count in stored.items():
            stored_sum[number] += amount * count
        for number in sorted(set(acked_sum) | set(stored_sum)):
            if acked_sum[number] != stored_sum[number]:
                problems.append(f"case {number}: payments total {stored_sum[number]} fen, acknowledged "
                                f"{acked_sum[number]} fen")
        overpaid = connection.execute(text(
            "SELECT c.number, w.worker_id, w.agreed, COALESCE(p.paid, 0) AS paid FROM case_file c "
            "JOIN (SELECT case_id, worker_id, SUM(agreed_fen) AS agreed FROM claim_item GROUP BY case_id, worker_id) w "
            "ON w.case_id = c.id LEFT JOIN (SELECT case_id, worker_id, SUM(amount_fen) AS paid FROM payment "
            "GROUP BY case_id, worker_id) p ON p.case_id = c.id AND p.worker_id = w.worker_id "
            "WHERE COALESCE(p.paid, 0) > COALESCE(w.agreed, 0)")).all()
        for row in overpaid:
            problems.append(f"case {row.number}: worker {row.worker_id} paid {row.paid} fen of {row.agreed} agreed")

        # states and histories
        last: dict[str, dict] = {}
        triggers_acked = collections.Counter()
        for ack in acks["triggers"]:
            triggers_acked[(ack["number"], ack["trigger"])] += 1
            if ack["number"] not in last or ack["version"] > last[ack["number"]]["version"]:
                last[ack["number"]] = ack
        events: dict[int, list] = collections.defaultdict(list)
        for row in connection.execute(text(
                "SELECT case_id, seq, action, from_state, to_state FROM case_event ORDER BY case_id, seq")):
            events[row.case_id].append(row)
        in_flight_triggers = {t["path"] for t in acks["in_flight"] if "/actions/" in t["path"]}
        for number, row in cases.items():
            expected = last[number]["state"] if number in last else (
                "settled" if number in seeded else created[number]["state"] if number in created else None)
            if expected is not None and row.state != expected and \
                    not any(path.startswith(f"/api/v1/cases/{number}/") for path in in_flight_triggers):
                problems.append(f"case {number}: state {row.state}, last acknowledged {expected}")
            history = events[row.id]
            if [e.seq for e in history] != list(range(1, len(history) + 1)):
                problems.append(f"case {number}: event seq {[e.seq for e in history]} is not 1..n")
            state = None
            for event in history:
                if event.to_state is None and event.from_state is None:
                    continue
                if event.from_state != state and not (state is None and event.from_state is None):
                    problems.append(f"case {number}: event {event.seq} ({event.action}) goes from "
                                    f"{event.from_state}, the case was {state}")
                state = event.to_state
            if state != row.state:
                problems.append(f"case {number}: history ends in {state}, the case is {row.state}")
            if number in created or number in seeded:
                fired = collections.Counter((number, e.action) for e in history)
                for (case_number, trigger), count in triggers_acked.items():
                    if case_number == number and fired[(number, trigger)] < count:
                        problems.append(f"lost write: case {number}: {count} {trigger} acknowledged, "
                                        f"{fired[(number, trigger)]} in the history")
                if number in created:
                    for action in ("refer", "start_mediation", "settle", "fail", "extend", "close"):
                        if fired[(number, action)] > triggers_acked[(number, action)] and not any(
                                path == f"/api/v1/cases/{number}/actions/{action}" for path in in_flight_triggers):
                            problems.append(f"case {number}: {fired[(number, action)]} {action} in the history, "
                                            f"{triggers_acked[(number, action)]} acknowledged")
        payments_in_history = connection.execute(text(
            "SELECT count(*) FROM case_event WHERE action = 'payment'")).scalar()
        payments_stored = connection.execute(text("SELECT count(*) FROM payment")).scalar()
        if payments_in_history != payments_stored:
            problems.append(f"{payments_stored} payments but {payments_in_history} payment events")

        # payments sent twice with one Idempotency-Key: the second answer was the first, one payment
        receipts = collections.Counter(key[3] for key in stored.elements())
        found["replay_duplicates"] = 0
        for replay in acks["replays"]:
            if replay["status"] != replay["first_status"] or replay["id"] != replay["first_id"] \
                    or not replay["identical"]:
                problems.append(f"payment {replay['receipt_no']}: the retry answered {replay['status']} "
                                f"(payment {replay['id']}), the first {replay['first_status']} "
                                f"(payment {replay['first_id']}), identical: {replay['identical']}")
            if receipts[replay["receipt_no"]] != 1:
                found["replay_duplicates"] += 1
                problems.append(f"payment {replay['receipt_no']} sent twice with one key is stored "
                                f"{receipts[replay['receipt_no']]} times")

        # mediation sessions (web): each acknowledged one once, by its token, on its case; no other
        sessions = connection.execute(text(
            "SELECT s.id, s.case_id, c.number, s.notes, s.attendees, s.outcome, s.held_on "
            "FROM mediation_session s JOIN case_file c ON c.id = s.case_id")).all()
        by_token: dict[str, list] = collections.defaultdict(list)
        for row in sessions:
            tokens = set(SESSION_TOKEN.findall(row.notes or ""))
            if len(tokens) != 1:
                problems.append(f"session {row.id} of case {row.number}: no load token in its notes")
                continue
            token = tokens.pop()
            by_token[token].append(row)
            if token not in (row.attendees or ""):
                problems.append(f"session {row.id} of case {row.number}: attendees without its token {token}")
        session_events = connection.execute(text(
            "SELECT e.case_id, c.number, e.note, e.to_state, e.from_state FROM case_event e "
            "JOIN case_file c ON c.id = e.case_id WHERE e.action = 'session'")).all()
        event_tokens = collections.Counter(
            token for event in session_events for token in set(SESSION_TOKEN.findall(event.note or "")))
        acked_sessions = {ack["token"]: ack for ack in acks["sessions"]}
        for token, ack in acked_sessions.items():
            rows = by_token.get(token, [])
            if not rows:
                problems.append(f"lost write: acknowledged session {token} of case {ack['number']} is missing")
                continue
            if len(rows) > 1:
                problems.append(f"session {token} stored {len(rows)} times")
            for row in rows:
                if (row.number, row.outcome, str(row.held_on)) != (ack["number"], "continued", ack["held_on"]):
                    problems.append(f"session {token}: case {row.number}, {row.outcome} on {row.held_on}; "
                                    f"acknowledged case {ack['number']}, continued on {ack['held_on']}")
            if event_tokens[token] != 1:
                problems.append(f"session {token} of case {ack['number']}: {event_tokens[token]} session events")
        in_flight_sessions = {token for t in acks["in_flight"] if t["body"]
                              for token in SESSION_TOKEN.findall(str(t["body"].get("notes", "")))}
        for token in sorted(set(by_token) - set(acked_sessions)):
            if token not in in_flight_sessions:
                problems.append(f"session {token} of case {by_token[token][0].number} was never acknowledged")
        if len(session_events) != len(sessions):
            problems.append(f"{len(sessions)} mediation sessions but {len(session_events)} 'session' events")
        per_case_sessions = collections.Counter(row.number for row in sessions)
        per_case_events = collections.Counter(event.number for event in session_events)
        for number in sorted(set(per_case_sessions) | set(per_case_events)):
            if per_case_sessions[number] != per_case_events[number]:
                problems.append(f"case {number}: {per_case_sessions[number]} sessions, "
                                f"{per_case_events[number]} 'session' events")
        if any(event.to_state is not None or event.from_state is not None for event in session_events):
            problems.append("a 'session' event changes the state")
        found["sessions_stored"], found["session_events"] = len(sessions), len(session_events)
    engine.dispose()
    return problems


def flask_check(env: dict, *args: str) -> tuple[int, str]:
    done = subprocess.run([str(ROOT / ".venv/bin/flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if " INFO " not in line and line.strip()]
    return done.returncode, " / ".join(lines[-3:])


# --- the report ------------------------------------------------------------------------------

def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (exact, unlike locust's rounded buckets)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def print_stats(requests: list) -> tuple[int, int]:
    """Per request type and in total: count, requests per second over the run, p50/p95/p99 (ms),
    failures; the run is from the first request's start to the last one's end."""
    began = min(end - taken / 1000 for _name, end, taken, _failed in requests)
    seconds = max(end for _name, end, _taken, _failed in requests) - began
    by_name: dict[str, list] = collections.defaultdict(list)
    for name, _end, taken, failed in requests:
        by_name[name].append((taken, failed))
    by_name["TOTAL"] = [(taken, failed) for _name, _end, taken, failed in requests]
    print(f"{'request':<36} {'count':>6} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for name in [*sorted(n for n in by_name if n != "TOTAL"), "TOTAL"]:
        times = [taken for taken, _failed in by_name[name]]
        failed = sum(1 for _taken, f in by_name[name] if f)
        print(f"{name:<36} {len(times):>6} {len(times) / seconds:>6.1f} {percentile(times, 0.50):>7.0f} "
              f"{percentile(times, 0.95):>7.0f} {percentile(times, 0.99):>7.0f} {failed:>6}")
    print(f"(over {seconds:.1f} s, from the first request to the end of the last)")
    return len(requests), sum(1 for *_rest, failed in requests if failed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL (its public schema is dropped); default: SQLite")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, the SQLite file)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mediation-load-"))
    instance = work / "instance"
    database_url = args.database_url
    if database_url:
        reset_postgres(database_url)
    try:
        started = time.monotonic()
        plan = setup(instance, database_url)
        check_url = database_url or f"sqlite:///{instance / 'mediation.sqlite3'}"
        backend = "PostgreSQL" if database_url else "SQLite"
        seeded = sum(len(v) for v in plan["effective"].values())
        print(f"{backend}: setup {time.monotonic() - started:.1f} s ({seeded} effective cases, "
              f"{sum(len(v) for v in plan['accounts'].values())} accounts)", flush=True)
        (work / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        env = app_env(instance, database_url) | {"LOAD_PLAN": str(work / "plan.json"),
                                                 "LOAD_ACKS": str(work / "acks.json")}
        load_before = os.getloadavg()[0]
        log = run_load(work, env, args.users, args.duration)
        load_after = os.getloadavg()[0]
        acks = json.loads((work / "acks.json").read_text(encoding="utf-8"))

        print(f"\ngunicorn -w 4, {args.users} users for {args.duration} s ({backend}; {os.cpu_count()} CPUs, "
              f"load average {load_before:.1f} before, {load_after:.1f} after):")
        _total, failures = print_stats(acks["requests"])
        errors = acks["errors"]
        found: dict = {}
        problems = check(check_url, plan, acks, found)
        replays = acks["replays"]
        print(f"\nacknowledged writes: {len(acks['created'])} cases created, {len(acks['triggers'])} triggers, "
              f"{len(acks['payments'])} payments ({sum(p['amount_fen'] for p in acks['payments']) / 100:,.2f} yuan; "
              f"{len(replays)} of them sent twice with one Idempotency-Key), {len(acks['sessions'])} mediation "
              f"sessions (web); {len(acks['in_flight'])} writes cut off in flight")
        by_trigger = collections.Counter(ack["trigger"] for ack in acks["triggers"])
        print("triggers: " + ", ".join(f"{k} {v}" for k, v in sorted(by_trigger.items())))
        differ = sum(1 for r in replays if not r["identical"] or r["status"] != r["first_status"])
        print(f"web sessions: {len(acks['sessions'])} recorded, {acks['session_conflicts']} conflicts "
              f"({acks['session_moved_on']} forms found the case out of mediation); idempotent replays: "
              f"{len(replays)} ({'all identical' if not differ else f'{differ} differ'}, "
              f"{found['replay_duplicates']} duplicates)")
        print(f"conflicts (409 stale version, expected): {acks['conflicts']} API, "
              f"{acks['session_conflicts']} web (session form)")
        print(f"errors (5xx, connection failures, unexpected 4xx): {len(errors)} (locust failures: {failures})")
        for error in errors[:10]:
            answer = json.dumps(error["answer"], ensure_ascii=False)[:300]
            print(f"  {error['status']} {error['method']} {error['path']}: {answer}")

        print(f"\ndatabase check: {'every acknowledged write is there, nothing else' if not problems else ''}")
        print(f"  mediation sessions: {found['sessions_stored']} rows, {found['session_events']} 'session' events, "
              f"{len(acks['sessions'])} acknowledged")
        for problem in problems[:30]:
            print(f"  {problem}")
        if len(problems) > 30:
            print(f"  ... {len(problems) - 30} more")
        audit_status, audit_text = flask_check(env, "audit", "verify")
        print(f"flask audit verify: exit {audit_status}: {audit_text}")
        stats_status, stats_text = flask_check(env, "stats", "verify")
        print(f"flask stats verify: exit {stats_status}: {stats_text}")
        tracebacks = log.read_text(encoding="utf-8", errors="replace").count("Traceback")
        kept = f"{log}, {work / 'locust.log'}" if args.keep else "use --keep to read them"
        print(f"gunicorn log: {tracebacks} tracebacks ({kept})")
        failed = bool(errors or failures or problems or audit_status or stats_status or tracebacks)
        print("\nRESULT: " + ("FAILED" if failed else "0 errors, 0 lost writes"))
        return 1 if failed else 0
    finally:
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
