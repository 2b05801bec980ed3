"""Benchmark: how long one lawyer proposal takes on a large database, against one plain query.

`propose_lawyers()` (mediation/lawyers/proposal.py) ranks the candidate lawyers of a case with
a fixed number of SQL statements (six when the case has a venue), whatever the number of
lawyers, venues and cases. This script checks that claim on a database of realistic size:

1. It builds the schema with the real migrations (``flask_migrate.upgrade()``), loads the Jilin
   region tree (``regions_load()``) and bulk-inserts, in chunks of 5,000 rows, 1,000 lawyers
   with profiles (Korean speakers among Yanbian's), 200 venues, a duty roster (5-10 lawyers
   per venue on 1-3 weekdays each), a few roster exceptions and conflict declarations, 20,000
   employers, and 100,000 open cases (intake/referred/mediating), each with one worker and one
   claim item, most with a lawyer. The services are bypassed: they would take far too long for
   100,000 cases, and the benchmark is about reading. The statistics are then refreshed
   (ANALYZE; VACUUM ANALYZE on PostgreSQL), as autovacuum would have done on a live database.

2. For ``--repeat`` random cases it times ``propose_lawyers()`` and, in the same loop, a
   baseline: one plain indexed query on the same database (the open cases of one lawyer,
   ``SELECT count(*) FROM case_file WHERE lawyer_id = :id AND state IN (...)``, an index
   lookup of about a hundred rows: ix_case_file_lawyer_id_state since migration 0003,
   ix_case_file_lawyer_id before it). Both are measured the same way: each run starts in a fresh
   session (nothing in the identity map), the case is loaded with its region, venue,
   employer and claims *before* the clock starts, and the two alternate in order so machine
   noise affects both. It counts the SQL statements one proposal issues (a
   ``before_cursor_execute`` listener) and prints the median and p90 of both timings.

Why the ratio: milliseconds depend on the machine, the backend and its cache, so on their own
they say little. The ratio median(proposal) / median(baseline) expresses the proposal in
"plain indexed queries" measured on the same machine and database at the same moment. Since
the number of statements is fixed, the ratio stays small and roughly constant as
``--cases`` and ``--lawyers`` grow provided each statement is index-driven; a statement that
scans the cases would show up as a ratio that grows with the data. ``--explain`` prints the
plan of each statement of one proposal (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on
SQLite) to find such a statement.

Run from the project root:

    .venv/bin/python bench/proposal.py                      # SQLite file in a temp dir
    .venv/bin/python bench/proposal.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/mediation_bench

Nothing is written inside the repository: the SQLite file and the Flask instance folder live
in a temporary directory removed at exit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, insert, select, text  # noqa: E402
from sqlalchemy.orm import joinedload, selectinload  # noqa: E402

import workflows  # noqa: E402
from bench.common import app_config, p90, reset_postgres  # noqa: E402
from mediation import create_app  # noqa: E402
from mediation.extensions import db  # noqa: E402
from mediation.lawyers.proposal import propose_lawyers  # noqa: E402
from mediation.models import (  # noqa: E402
    CLAIM_KINDS,
    Case,
    CaseNumberSequence,
    ClaimItem,
    ConflictDeclaration,
    DutyRoster,
    Employer,
    LawyerProfile,
    Region,
    RosterException,
    User,
    Venue,
    Worker,
)
from mediation.regions.tree import regions_load  # noqa: E402

CHUNK = 5_000
OPEN_STATES = ("intake", "referred", "mediating")
YANBIAN = "222400"
# The proposals are computed for working days of these two weeks (a Monday first); the
# roster exceptions fall in them too.
WINDOW_START = dt.date(2026, 3, 2)
WINDOW_DAYS = 14
NOW = dt.datetime(2026, 2, 27, 9, 0, tzinfo=dt.UTC)
# Not a hash of anything: nobody logs in during the benchmark, and hashing 1,000 passwords
# with scrypt would only slow the build.
PASSWORD_HASH = "scrypt:32768:8:1$benchmark$not-a-real-hash"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="With a PostgreSQL URL the script starts with DROP SCHEMA public CASCADE and "
               "CREATE SCHEMA public: everything in that database is lost. Use a database of its own "
               "(createdb -h 127.0.0.1 -U postgres mediation_bench).",
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL; default: a fresh SQLite file in a temp dir. "
                        "A PostgreSQL database is WIPED (DROP SCHEMA public CASCADE) first.")
    parser.add_argument("--lawyers", type=int, default=1_000, help="lawyers to build (default 1000)")
    parser.add_argument("--venues", type=int, default=200, help="venues to build (default 200)")
    parser.add_argument("--cases", type=int, default=100_000, help="open cases to build (default 100000)")
    parser.add_argument("--employers", type=int, help="employers to build (default: cases / 5)")
    parser.add_argument("--repeat", type=int, default=30, help="cases sampled and timed (default 30)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the data and the sample")
    parser.add_argument("--explain", action="store_true",
                        help="also print the plan of each statement of one proposal")
    args = parser.parse_args(argv)
    if args.employers is None:
        args.employers = max(args.cases // 5, 1)
    if min(args.lawyers, args.venues, args.cases, args.repeat) < 1:
        parser.error("--lawyers, --venues, --cases and --repeat must be at least 1")
    return args


# --- the database -------------------------------------------------------------------------

def bulk_insert(target, rows: list[dict]) -> int:
    """Core executemany in chunks; `target` is a model or a Table."""
    table = getattr(target, "__table__", target)
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start:start + CHUNK])
    return len(rows)


def reset_sequences() -> None:
    """Ids were given explicitly: move PostgreSQL's sequences past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("user_account", "venue", "duty_roster", "roster_exception", "conflict_declaration",
                  "employer", "worker", "case_file", "claim_item"):
        db.session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1)) FROM {table}"))


def refresh_statistics() -> None:
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        # Fold the bulk load's write-ahead log into the database file, as the automatic
        # checkpoints of a live database would have: reads should not wade through it.
        # (On the DBAPI connection: the app begins a transaction on every SQLAlchemy one.)
        db.session.remove()
        with db.engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


# --- the data -----------------------------------------------------------------------------

def build_data(args: argparse.Namespace, rng: random.Random) -> dict[str, int]:
    regions = db.session.execute(select(Region).order_by(Region.code)).scalars().all()
    province = next(r for r in regions if r.level == "province")
    prefectures = [r for r in regions if r.level == "prefecture"]
    counties = [r for r in regions if r.level == "county"]
    prefecture_of = {r.code: (r.code if r.level == "prefecture" else r.parent_code) for r in regions
                     if r.level != "province"}
    counties_of = defaultdict(list)
    for county in counties:
        counties_of[county.parent_code].append(county.code)
    counted: dict[str, int] = {}

    # Lawyers: a few at the province, the rest spread over prefectures and counties.
    lawyer_rows, profile_rows = [], []
    lawyers_of = defaultdict(list)  # prefecture code -> lawyer ids (province lawyers under "")
    local = [r.code for r in prefectures + counties]
    for lawyer_id in range(1, args.lawyers + 1):
        region_code = province.code if rng.random() < 0.03 else rng.choice(local)
        lawyers_of[prefecture_of.get(region_code, "")].append(lawyer_id)
        lawyer_rows.append({
            "id": lawyer_id, "username": f"lawyer{lawyer_id:05d}", "full_name": f"律师{lawyer_id:05d}",
            "password_hash": PASSWORD_HASH, "role": "lawyer", "region_code": region_code,
            "active": rng.random() > 0.02, "session_token": f"bench-token-{lawyer_id}", "created_at": NOW,
        })
        in_yanbian = prefecture_of.get(region_code) == YANBIAN
        languages = ["zh", "ko"] if (in_yanbian and rng.random() < 0.6) or rng.random() < 0.01 else ["zh"]
        profile_rows.append({
            "user_id": lawyer_id, "law_firm": f"吉林第{lawyer_id % 97 + 1}律师事务所",
            "licence_no": f"1220{lawyer_id:013d}", "phone": f"139{lawyer_id:08d}",
            "languages": languages, "specialties": rng.sample(CLAIM_KINDS, rng.randint(0, 3)),
        })
    counted["lawyers"] = bulk_insert(User, lawyer_rows)
    bulk_insert(LawyerProfile, profile_rows)
    all_lawyers = list(range(1, args.lawyers + 1))

    def local_lawyers(prefecture: str) -> list[int]:
        return lawyers_of.get(prefecture) or all_lawyers

    # Venues: every prefecture and county gets its share, in turn.
    venue_regions = local[:]
    rng.shuffle(venue_regions)
    venue_rows = []
    venues_of = defaultdict(list)
    for venue_id in range(1, args.venues + 1):
        region_code = venue_regions[(venue_id - 1) % len(venue_regions)]
        venues_of[prefecture_of[region_code]].append(venue_id)
        venue_rows.append({
            "id": venue_id, "name": f"调解工作室{venue_id:04d}",
            "kind": rng.choice(("court_workroom", "arbitration_workroom", "union_committee")),
            "region_code": region_code, "address": "", "active": True,
        })
    counted["venues"] = bulk_insert(Venue, venue_rows)
    venue_prefecture = {row["id"]: prefecture_of[row["region_code"]] for row in venue_rows}

    # The duty roster: each venue 5-10 lawyers of its prefecture (now and then one from
    # elsewhere, who becomes a candidate through the roster), each on 1-3 weekdays.
    roster_rows = []
    for venue_id, prefecture in venue_prefecture.items():
        pool = local_lawyers(prefecture)
        chosen = rng.sample(pool, min(len(pool), rng.randint(5, 10)))
        if rng.random() < 0.2:
            chosen.append(rng.choice(all_lawyers))
        for lawyer_id in chosen:
            for weekday in rng.sample(range(5), rng.randint(1, 3)):
                roster_rows.append({
                    "id": len(roster_rows) + 1, "lawyer_id": lawyer_id, "venue_id": venue_id, "weekday": weekday,
                    "starts_on": dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 360)),
                    "ends_on": None if rng.random() < 0.9 else dt.date(2026, 12, 31),
                })
    counted["roster rows"] = bulk_insert(DutyRoster, roster_rows)

    exception_rows = []
    for exception_id in range(1, max(args.venues // 2, 5) + 1):
        roster = rng.choice(roster_rows)
        exception_rows.append({
            "id": exception_id, "lawyer_id": roster["lawyer_id"],
            "venue_id": roster["venue_id"] if rng.random() < 0.7 else None,
            "on_date": WINDOW_START + dt.timedelta(days=rng.randrange(WINDOW_DAYS)),
            "kind": "leave" if rng.random() < 0.7 else "extra", "note": "",
        })
    counted["roster exceptions"] = bulk_insert(RosterException, exception_rows)

    # Employers with distinct 18-character codes (the checksum does not matter here).
    employer_rows = [{
        "id": employer_id, "name": f"吉林测试企业{employer_id:06d}有限公司", "uscc": f"91220{employer_id:013d}",
        "uscc_checksum_overridden": False, "legal_representative": "", "address": "",
    } for employer_id in range(1, args.employers + 1)]
    counted["employers"] = bulk_insert(Employer, employer_rows)

    conflict_rows = [{
        "id": conflict_id, "lawyer_id": rng.choice(all_lawyers),
        "employer_uscc": rng.choice(employer_rows)["uscc"], "note": "", "declared_at": NOW,
    } for conflict_id in range(1, max(args.lawyers // 2, 5) + 1)]
    counted["conflict declarations"] = bulk_insert(ConflictDeclaration, conflict_rows)

    # Cases, one worker and one claim item each.
    case_rows, worker_rows, claim_rows = [], [], []
    sequence: dict[tuple[str, int], int] = defaultdict(int)
    county_codes = [c.code for c in counties]
    for case_id in range(1, args.cases + 1):
        region_code = rng.choice(county_codes)
        prefecture = prefecture_of[region_code]
        received_on = WINDOW_START - dt.timedelta(days=rng.randint(1, 400))
        sequence[region_code, received_on.year] += 1
        state = rng.choices(OPEN_STATES, weights=(3, 3, 4))[0]
        lawyer_id = rng.choice(local_lawyers(prefecture)) if state != "intake" or rng.random() < 0.5 else None
        referred_on = received_on + dt.timedelta(days=rng.randint(0, 5)) if state != "intake" else None
        started_on = referred_on + dt.timedelta(days=rng.randint(0, 5)) if state == "mediating" else None
        korean = prefecture == YANBIAN and rng.random() < 0.4
        case_rows.append({
            "id": case_id, "number": f"{region_code}-{received_on.year}-{sequence[region_code, received_on.year]:05d}",
            "channel": rng.choice(("court", "hr", "walk_in")), "referral_ref": None, "region_code": region_code,
            "venue_id": rng.choice(venues_of.get(prefecture) or list(venue_prefecture)),
            "employer_id": (employer := rng.randint(1, args.employers)), "mediator_id": None, "lawyer_id": lawyer_id,
            "employer_name": employer_rows[employer - 1]["name"], "employer_uscc": employer_rows[employer - 1]["uscc"],
            "employer_legal_representative": "", "employer_address": "",
            "state": state, "language": "ko" if korean else "zh",
            "employer_agent_id": rng.choice(all_lawyers) if rng.random() < 0.01 else None,
            "summary": "", "worker_count": 1, "received_on": received_on, "referred_on": referred_on,
            "mediation_started_on": started_on,
            "mediation_due_on": started_on + dt.timedelta(days=15) if started_on else None,
            "due_is_approximate": False, "extended": False, "settled_on": None, "ended_on": None,
            "outcome_reason": "", "created_at": NOW, "updated_at": NOW, "version": 1,
        })
        worker_rows.append({"id": case_id, "case_id": case_id, "name": f"工人{case_id:06d}",
                            "id_number": f"220102{case_id:012d}", "phone": None, "address": ""})
        claim_rows.append({"id": case_id, "case_id": case_id, "worker_id": case_id,
                           "kind": rng.choice(CLAIM_KINDS), "claimed_fen": rng.randint(1, 50_000) * 100,
                           "agreed_fen": None})
    counted["cases"] = bulk_insert(Case, case_rows)
    counted["workers"] = bulk_insert(Worker, worker_rows)
    counted["claim items"] = bulk_insert(ClaimItem, claim_rows)
    bulk_insert(CaseNumberSequence, [{"region_code": code, "year": year, "last_value": last}
                                     for (code, year), last in sequence.items()])
    reset_sequences()
    db.session.commit()
    return counted


# --- the measurement ----------------------------------------------------------------------

class StatementLog:
    """Counts (and keeps) the statements sent to the database while it is recording."""

    def __init__(self) -> None:
        self.recording = False
        self.statements: list[tuple[str, object]] = []

    def __call__(self, _conn, _cursor, statement, parameters, _context, _executemany) -> None:  # noqa: ANN001
        if self.recording:
            self.statements.append((statement, parameters))

    @contextmanager
    def record(self):
        self.statements = []
        self.recording = True
        try:
            yield self
        finally:
            self.recording = False


def load_case(case_id: int) -> Case:
    """What the assignment page has in hand before it asks for a proposal."""
    return db.session.get(Case, case_id, options=[
        joinedload(Case.region), joinedload(Case.venue), joinedload(Case.employer_master),
        selectinload(Case.claims)])


def fresh_session() -> None:
    db.session.rollback()
    db.session.expire_all()
    db.session.remove()


def time_proposal(case_id: int, on_date: dt.date, log: StatementLog) -> tuple[float, int, int]:
    fresh_session()
    case = load_case(case_id)
    gc.collect()
    with log.record():
        start = time.perf_counter()
        proposal = propose_lawyers(case=case, venue=case.venue, on_date=on_date)
        elapsed = time.perf_counter() - start
    return elapsed, len(log.statements), len(proposal.ranked) + len(proposal.excluded)


def time_baseline(case_id: int, lawyer_id: int) -> float:
    fresh_session()
    load_case(case_id)
    gc.collect()
    query = select(func.count(Case.id)).where(Case.lawyer_id == lawyer_id, Case.state.in_(workflows.OPEN_STATES))
    start = time.perf_counter()
    db.session.execute(query).scalar_one()
    return time.perf_counter() - start


def working_days() -> list[dt.date]:
    days = (WINDOW_START + dt.timedelta(days=i) for i in range(WINDOW_DAYS))
    return [day for day in days if day.weekday() < 5]


def explain(case_id: int, on_date: dt.date, log: StatementLog) -> None:
    postgres = db.engine.dialect.name == "postgresql"
    fresh_session()
    case = load_case(case_id)
    with log.record():
        propose_lawyers(case=case, venue=case.venue, on_date=on_date)
    statements = log.statements
    connection = db.session.connection()
    print(f"\nPlans of the {len(statements)} statements of the proposal for case {case.number} on {on_date}:")
    for number, (statement, parameters) in enumerate(statements, 1):
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
        rows = connection.exec_driver_sql(prefix + statement, parameters).all()
        print(f"\n-- statement {number}: {' '.join(statement.split())[:300]}")
        for row in rows:
            print("   " + (row[0] if postgres else f"{row[1]:>3} {row[3]}"))


def measure(args: argparse.Namespace, rng: random.Random, log: StatementLog) -> dict:
    case_ids = rng.sample(range(1, args.cases + 1), min(args.repeat, args.cases))
    days = working_days()
    lawyer_ids = [rng.randint(1, args.lawyers) for _ in case_ids]
    on_dates = [rng.choice(days) for _ in case_ids]
    for case_id, on_date, lawyer_id in list(zip(case_ids, on_dates, lawyer_ids, strict=True))[:3]:  # warm-up
        time_proposal(case_id, on_date, log)
        time_baseline(case_id, lawyer_id)
    proposal_times, baseline_times, statement_counts, candidate_counts = [], [], [], []
    for index, (case_id, on_date, lawyer_id) in enumerate(zip(case_ids, on_dates, lawyer_ids, strict=True)):
        if index % 2:  # alternate which runs first
            baseline_times.append(time_baseline(case_id, lawyer_id))
        elapsed, statements, candidates = time_proposal(case_id, on_date, log)
        proposal_times.append(elapsed)
        statement_counts.append(statements)
        candidate_counts.append(candidates)
        if not index % 2:
            baseline_times.append(time_baseline(case_id, lawyer_id))
    fresh_session()
    if args.explain:
        explain(case_ids[0], on_dates[0], log)
        fresh_session()
    return {"proposal": proposal_times, "baseline": baseline_times,
            "statements": statement_counts, "candidates": candidate_counts}


# --- the report ---------------------------------------------------------------------------

def describe_database(url: str) -> str:
    dialect = db.engine.dialect
    version = ".".join(str(part) for part in dialect.server_version_info or ())
    if dialect.name == "sqlite":
        return f"SQLite {version} (file in a temp dir)"
    return f"{dialect.name} {version} ({db.engine.url.render_as_string(hide_password=True)})"


def report(counted: dict[str, int], timings: dict[str, float], results: dict, database: str) -> None:
    proposal_ms = [t * 1000 for t in results["proposal"]]
    baseline_ms = [t * 1000 for t in results["baseline"]]
    statements = results["statements"]
    candidates = results["candidates"]
    print()
    print(f"database            {database}")
    print("rows built          " + ", ".join(f"{n:,} {name}" for name, n in counted.items()))
    print(f"build time          {timings['total']:.1f} s (schema and regions {timings['schema']:.1f} s, "
          f"data {timings['data']:.1f} s, statistics {timings['statistics']:.1f} s)")
    print(f"sampled cases       {len(proposal_ms)} (candidates per case: median "
          f"{statistics.median(candidates):.0f}, min {min(candidates)}, max {max(candidates)})")
    print(f"SQL per proposal    {statistics.median(statements):.0f} (min {min(statements)}, max {max(statements)})")
    print()
    print(f"{'':24}{'median ms':>12}{'p90 ms':>12}")
    print(f"{'proposal':24}{statistics.median(proposal_ms):>12.2f}{p90(proposal_ms):>12.2f}")
    print(f"{'baseline (1 query)':24}{statistics.median(baseline_ms):>12.2f}{p90(baseline_ms):>12.2f}")
    ratio = statistics.median(proposal_ms) / statistics.median(baseline_ms)
    print(f"ratio median(proposal) / median(baseline): {ratio:.1f}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="mediation-bench-") as tmp:
        os.environ["MEDIATION_INSTANCE_PATH"] = str(Path(tmp) / "instance")
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        started = time.perf_counter()
        if url.startswith("postgresql"):
            reset_postgres(url)
        app = create_app(app_config(url))
        with app.app_context():
            upgrade()
            regions_load()
            db.session.commit()
            timings = {"schema": time.perf_counter() - started}
            print(f"schema and regions ready in {timings['schema']:.1f} s; building the data...", flush=True)
            mark = time.perf_counter()
            counted = build_data(args, rng)
            timings["data"] = time.perf_counter() - mark
            mark = time.perf_counter()
            refresh_statistics()
            timings["statistics"] = time.perf_counter() - mark
            timings["total"] = time.perf_counter() - started
            print(f"built in {timings['total']:.1f} s; measuring {args.repeat} proposals...", flush=True)
            database = describe_database(url)
            db.session.remove()
        log = StatementLog()
        # Measured inside a GET request, as the assignment page computes its proposal (on
        # SQLite this also makes transactions begin as a reading request's do).
        with app.test_request_context("/", method="GET"):
            event.listen(db.engine, "before_cursor_execute", log)
            results = measure(args, rng, log)
            db.session.remove()
            db.engine.dispose()
        report(counted, timings, results, database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
