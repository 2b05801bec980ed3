"""Benchmark: the province's recovery statistics on a country-sized database, against one plain query.

The statistics page reads everything it shows with one call, ``mediation.stats.report.build()``:
the figures per region (rolled up the tree), the months, and the lawyer and venue tables, each
from a few aggregate statements over the monthly summary (mediation/stats/summary_queries.py),
or over the cases themselves (mediation/stats/queries.py) for what the summary cannot answer.
This script times that call for the whole province of Jilin and the year 2026 on a database of
realistic size:

1. It builds the schema with the real migrations (``flask_migrate.upgrade()``), loads the Jilin
   region tree (``regions_load()``) and bulk-loads, through the raw DBAPI connection (COPY on
   PostgreSQL, executemany in chunks on SQLite), users (mediators, lawyers, supervisors),
   venues, employers and ``--cases`` cases received from 2024 to November 2026 in the
   county-level regions (Changchun's districts get the most), with their workers (one to three
   mostly, now and then a collective case of 10-30), one or two claim items per worker, and the
   payments of the settled cases in installments (some employers default: those cases are in
   enforcement, or closed with the rest written off). Every case follows a consistent history:
   received, referred, mediation started (with its statutory due date), then settled, failed,
   withdrawn or still open; rejected cases end at intake. The services are bypassed: they would
   take hours for a million cases, and the benchmark is about reading. Since the load bypasses
   the session hooks that keep the monthly summary, it is rebuilt (``summary.rebuild``, timed),
   then the planner statistics are refreshed (VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite).

2. It times, ``--repeat`` times and alternating in the same loop, ``build(filters, province)``
   and a baseline: ONE hand-written SQL statement that computes the headline totals per region
   code (cases received and settled, claimed, agreed, recovered) in a single GROUP BY over
   case_file joined to the claim-item and payment aggregates. Each run starts in a fresh
   session, with the province's Region row loaded before the clock starts. It counts the SQL
   statements ``build`` issues (a ``before_cursor_execute`` listener) and times each of them.

   Then it times ``--repeat-from-cases`` builds of the same page from the cases instead of the
   summary (``build(..., from_cases=True)``), what the page cost before the summary.

3. It checks that the baseline's province totals equal ``report.total``'s, and that every figure
   of every row of the page is the same from the summary as from the cases; a difference is a
   bug, printed loudly, and the script exits with status 1.

Why the ratio: milliseconds depend on the machine, the backend and its cache. The ratio
median(build) / median(baseline) expresses the page in "plain aggregate queries over the same
rows" measured on the same machine at the same moment. ``--explain`` prints the plan of each
statement of one build and of the baseline (EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN
QUERY PLAN on SQLite).

Run from the project root:

    .venv/bin/python bench/stats.py --cases 100000           # SQLite file in a temp dir
    .venv/bin/python bench/stats.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/mediation_bench

Nothing is written inside the repository: the SQLite file and the Flask instance folder live
in a temporary directory removed at exit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
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
from sqlalchemy import event, select, text  # noqa: E402

from bench.common import app_config, describe_database, p90, reset_postgres  # noqa: E402
from mediation import create_app  # noqa: E402
from mediation.extensions import db  # noqa: E402
from mediation.models import CLAIM_KINDS, COLLECTIVE_THRESHOLD, PAYMENT_METHODS, Region  # noqa: E402
from mediation.regions.tree import regions_load  # noqa: E402
from mediation.stats import period, summary  # noqa: E402
from mediation.stats.figures import StatsFilters  # noqa: E402
from mediation.stats.report import build  # noqa: E402

PROVINCE = "220000"
YEAR = 2026
FIRST_DAY = dt.date(2024, 1, 1)
# The data stop here (nothing received, decided or paid later), whatever day the script runs.
LAST_DAY = dt.date(2026, 11, 15)
NOW = dt.datetime(2026, 11, 15, 9, 0, tzinfo=dt.UTC)
# Not a hash of anything: nobody logs in during the benchmark.
PASSWORD_HASH = "scrypt:32768:8:1$benchmark$not-a-real-hash"
YANBIAN = "222400"
CASES_PER_CHUNK = 20_000
SQLITE_BATCH = 10_000
# Share of the province's cases per prefecture-level region (roughly its workforce); a region
# the table does not know gets 2%. Inside a prefecture, the first (urban) districts get more.
PREFECTURE_WEIGHTS = {
    "220100": 36, "220200": 15, YANBIAN: 10, "220300": 7, "220700": 7, "220500": 6, "220800": 5,
    "220600": 4, "220400": 4, "220581": 4, "220900": 2,
}
# How cases end (those still open on LAST_DAY are cut short by it).
OUTCOMES = ("agreed", "failed", "withdrawn", "rejected")
OUTCOME_WEIGHTS = (66, 22, 9, 3)
CHANNELS = ("court", "hr", "walk_in")
CHANNEL_WEIGHTS = (45, 35, 20)
KIND_WEIGHTS = {"wages": 45, "overtime": 15, "severance": 15, "social_insurance": 12, "work_injury": 8, "other": 5}
# Workers per case: 1-3 mostly, a few small groups (4 stands for 4-9) and collective cases
# (COLLECTIVE_THRESHOLD stands for 10-30).
WORKER_COUNTS = (1, 2, 3, 4, COLLECTIVE_THRESHOLD)
WORKER_COUNT_WEIGHTS = (62, 21, 11, 4.5, 1.5)

CASE_COLUMNS = (
    "id", "number", "channel", "referral_ref", "region_code", "venue_id", "employer_id", "mediator_id",
    "lawyer_id", "state", "language", "employer_agent_id", "summary", "worker_count", "received_on",
    "referred_on", "mediation_started_on", "mediation_due_on", "due_is_approximate", "extended", "settled_on",
    "agreement_effective_on", "written_off_fen", "ended_on", "outcome_reason", "created_at", "updated_at",
    "version", "employer_name", "employer_uscc",
)
WORKER_COLUMNS = ("id", "case_id", "name", "id_number", "phone")  # each case's own workers
CLAIM_COLUMNS = ("id", "case_id", "worker_id", "kind", "claimed_fen", "agreed_fen")
PAYMENT_COLUMNS = ("id", "case_id", "worker_id", "amount_fen", "paid_on", "method", "receipt_no",
                   "enforcement_path_id", "recorded_by_id", "created_at")
USER_COLUMNS = ("id", "username", "full_name", "password_hash", "role", "region_code", "active", "session_token",
                "created_at")
VENUE_COLUMNS = ("id", "name", "kind", "region_code", "address", "active")
EMPLOYER_COLUMNS = ("id", "name", "uscc", "uscc_checksum_overridden", "legal_representative", "address")
SEQUENCE_COLUMNS = ("region_code", "year", "last_value")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="With a PostgreSQL URL the script starts with DROP SCHEMA public CASCADE and "
               "CREATE SCHEMA public: everything in that database is lost. Use a database of its own "
               "(createdb -h 127.0.0.1 -U postgres mediation_bench). On SQLite use fewer cases "
               "(--cases 100000).",
    )
    parser.add_argument("--database-url", help="SQLAlchemy URL; default: a fresh SQLite file in a temp dir. "
                        "A PostgreSQL database is WIPED (DROP SCHEMA public CASCADE) first.")
    parser.add_argument("--cases", type=int, default=1_000_000,
                        help="cases to build (default 1000000; use e.g. 100000 on SQLite)")
    parser.add_argument("--lawyers", type=int, default=1_000, help="lawyers to build (default 1000)")
    parser.add_argument("--venues", type=int, default=200, help="venues to build (default 200)")
    parser.add_argument("--employers", type=int, help="employers to build (default: cases / 5)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each (default 15)")
    parser.add_argument("--repeat-from-cases", type=int, default=3,
                        help="timed runs of the page computed from the cases instead of the summary (default 3)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the data")
    parser.add_argument("--explain", action="store_true",
                        help="also print the plan of each statement of one build and of the baseline")
    args = parser.parse_args(argv)
    if args.employers is None:
        args.employers = max(args.cases // 5, 1)
    if min(args.cases, args.lawyers, args.venues, args.employers, args.repeat) < 1:
        parser.error("--cases, --lawyers, --venues, --employers and --repeat must be at least 1")
    return args


# --- the database -------------------------------------------------------------------------

class PostgresLoader:
    """COPY through psycopg, in one transaction. Foreign keys are not checked during the load
    (session_replication_role = replica, when allowed): the generator makes them hold."""

    def __init__(self) -> None:
        self.raw = db.engine.raw_connection()
        self.connection = self.raw.driver_connection
        try:
            self.connection.execute("SET session_replication_role = replica")
            self.unchecked = True
        except Exception:  # noqa: BLE001 (not a superuser: load with the checks)
            self.connection.rollback()
            self.unchecked = False

    def date(self, day: dt.date) -> object:
        return day

    def flag(self, value: bool) -> object:
        return value

    def timestamp(self, moment: dt.datetime) -> object:
        return moment

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> int:
        with self.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return len(rows)

    def finish(self) -> None:
        if self.unchecked:
            self.connection.execute("SET session_replication_role = DEFAULT")
        for table in ("user_account", "venue", "employer", "worker", "case_file", "claim_item", "payment"):
            self.connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1)) FROM {table}")
        self.connection.commit()
        self.raw.close()


class SqliteLoader:
    """executemany on the sqlite3 connection, in batches, in one transaction (foreign keys on)."""

    unchecked = False

    def __init__(self) -> None:
        self.raw = db.engine.raw_connection()
        self.connection = self.raw.driver_connection  # autocommit mode (mediation/web/sqlite.py): we BEGIN
        self.connection.execute("BEGIN")

    def date(self, day: dt.date) -> object:
        return day.isoformat()  # how SQLAlchemy stores a Date in SQLite

    def flag(self, value: bool) -> object:
        return int(value)

    def timestamp(self, moment: dt.datetime) -> object:
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> int:
        statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        for start in range(0, len(rows), SQLITE_BATCH):
            self.connection.executemany(statement, rows[start:start + SQLITE_BATCH])
        return len(rows)

    def finish(self) -> None:
        self.connection.execute("COMMIT")
        self.raw.close()


def refresh_statistics() -> None:
    db.session.commit()
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with db.engine.connect() as connection:
            sqlite = connection.connection.driver_connection
            sqlite.execute("ANALYZE")
            # Fold the bulk load's write-ahead log into the database file, as the automatic
            # checkpoints of a live database would have: reads should not wade through it.
            sqlite.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


# --- the data -----------------------------------------------------------------------------

class Places:
    """The region tree as the generator needs it: leaves with their weights, prefectures, staff."""

    def __init__(self, args: argparse.Namespace, rng: random.Random) -> None:
        regions = db.session.execute(select(Region).order_by(Region.code)).scalars().all()
        parents = {r.parent_code for r in regions}
        self.prefecture_of: dict[str, str] = {}
        for region in regions:
            if region.level == "province":
                continue
            self.prefecture_of[region.code] = region.code if region.parent_code == PROVINCE else region.parent_code
        self.prefectures = sorted({p for p in self.prefecture_of.values()})
        # The county-level regions: every region without children (Meihekou has none).
        self.leaves = [r.code for r in regions if r.code not in parents and r.level != "province"]
        leaves_of = defaultdict(list)
        for code in self.leaves:
            leaves_of[self.prefecture_of[code]].append(code)
        weights = []
        for code in self.leaves:
            siblings = leaves_of[self.prefecture_of[code]]
            rank = siblings.index(code)
            share = [1 / (i + 1) ** 0.8 for i in range(len(siblings))]
            weights.append(PREFECTURE_WEIGHTS.get(self.prefecture_of[code], 2) * share[rank] / sum(share))
        self.leaf_weight = dict(zip(self.leaves, weights, strict=True))
        self.leaf_cumulative = list(itertools.accumulate(weights))
        self.prefecture_weight = {p: sum(w for c, w in self.leaf_weight.items() if self.prefecture_of[c] == p)
                                  for p in self.prefectures}
        self.rng = rng
        self.args = args

    def draw_leaves(self, count: int) -> list[str]:
        return self.rng.choices(self.leaves, cum_weights=self.leaf_cumulative, k=count)

    def spread(self, count: int) -> list[str]:
        """`count` leaf codes in proportion to the cases, every leaf at least once if possible."""
        chosen = self.leaves[:count] if count < len(self.leaves) else list(self.leaves)
        return chosen + self.draw_leaves(count - len(chosen))


def build_people(places: Places, loader, rng: random.Random) -> tuple[dict, dict[str, int]]:  # noqa: ANN001
    """Users and venues; returns who works where, for the cases."""
    args = places.args
    created = loader.timestamp(NOW - dt.timedelta(days=1200))
    users, counted = [], {}
    staff = {"mediators": defaultdict(list), "lawyers": defaultdict(list), "all lawyers": [],
             "venues_leaf": defaultdict(list), "venues": defaultdict(list)}

    def user(role: str, region_code: str, number: int) -> int:
        user_id = len(users) + 1
        users.append((user_id, f"{role}{number:05d}", f"{role}{number:05d}", PASSWORD_HASH, role, region_code,
                      loader.flag(True), f"bench-token-{user_id}", created))
        return user_id

    user("admin", PROVINCE, 1)
    user("supervisor", PROVINCE, 1)
    for number, code in enumerate(places.prefectures, 2):
        user("supervisor", code, number)
    # Mediators: three per county-level region, two more at each prefecture.
    number = itertools.count(1)
    for code in places.leaves:
        for _ in range(3):
            staff["mediators"][places.prefecture_of[code]].append(user("mediator", code, next(number)))
    for code in places.prefectures:
        for _ in range(2):
            staff["mediators"][code].append(user("mediator", code, next(number)))
    counted["mediators"] = next(number) - 1
    # Lawyers in proportion to the cases, at a county or at their prefecture.
    for number, code in enumerate(places.spread(args.lawyers), 1):
        home = code if rng.random() < 0.7 else places.prefecture_of[code]
        lawyer_id = user("lawyer", home, number)
        staff["lawyers"][places.prefecture_of[code]].append(lawyer_id)
        staff["all lawyers"].append(lawyer_id)
    counted["lawyers"] = args.lawyers
    counted["users"] = loader.write("user_account", USER_COLUMNS, users)

    venues = []
    for venue_id, code in enumerate(places.spread(args.venues), 1):
        venues.append((venue_id, f"调解工作室{venue_id:04d}",
                       rng.choice(("court_workroom", "arbitration_workroom", "union_committee")), code, "",
                       loader.flag(True)))
        staff["venues_leaf"][code].append(venue_id)
        staff["venues"][places.prefecture_of[code]].append(venue_id)
    counted["venues"] = loader.write("venue", VENUE_COLUMNS, venues)

    employers = [(employer_id, f"吉林测试企业{employer_id:07d}有限公司", f"91220{employer_id:013d}",
                  loader.flag(False), "", "") for employer_id in range(1, args.employers + 1)]
    counted["employers"] = loader.write("employer", EMPLOYER_COLUMNS, employers)
    return staff, counted


class Days:
    """Days as ordinals while generating, converted once per distinct day for the loader."""

    def __init__(self, loader) -> None:  # noqa: ANN001
        self.loader = loader
        self.dates: dict[int, object] = {}
        self.moments: dict[int, object] = {}

    def date(self, ordinal: int | None) -> object:
        if ordinal is None:
            return None
        value = self.dates.get(ordinal)
        if value is None:
            value = self.dates[ordinal] = self.loader.date(dt.date.fromordinal(ordinal))
        return value

    def moment(self, ordinal: int) -> object:
        value = self.moments.get(ordinal)
        if value is None:
            day = dt.date.fromordinal(ordinal)
            value = self.moments[ordinal] = self.loader.timestamp(
                dt.datetime(day.year, day.month, day.day, 1, 30, tzinfo=dt.UTC))
        return value


def working_day(ordinal: int) -> int:
    """The statutory last day moved off a weekend (holidays are left out: no calendar needed here)."""
    weekday = dt.date.fromordinal(ordinal).weekday()
    return ordinal + (7 - weekday if weekday >= 5 else 0)


def build_cases(places: Places, staff: dict, loader, rng: random.Random) -> dict[str, int]:  # noqa: ANN001, C901, PLR0912, PLR0915
    """The cases and everything hanging off them, streamed to the loader chunk by chunk."""
    args = places.args
    days = Days(loader)
    first, last = FIRST_DAY.toordinal(), LAST_DAY.toordinal()
    span = last - first
    counted = defaultdict(int)
    sequence: dict[tuple[str, int], int] = defaultdict(int)
    kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    assert set(kinds) <= set(CLAIM_KINDS)
    worker_id = claim_id = 0
    random_ = rng.random
    randint = rng.randint
    expovariate = rng.expovariate
    # Received: more cases as time goes on (a linear density, 60% more a day at the end than at
    # the start), mostly on working days. Ids follow the day received, as they do in a live
    # database (a case, its workers and claims are written at intake), and the payments are
    # written at the end in the order they were made: so the rows of one period sit together on
    # disk, as they would, and the planner's correlation statistics are those of real tables.
    growth = 0.6
    received_days = []
    for _ in range(args.cases):
        received = first + int(span * ((1 + 2 * growth * random_() * (1 + growth / 2)) ** 0.5 - 1) / growth)
        weekday = dt.date.fromordinal(received).weekday()
        if weekday >= 5 and random_() < 0.85:
            received -= weekday - 4
        received_days.append(received)
    received_days.sort()
    payments = []  # (paid on, case, worker, amount, method, recorded by), written at the end

    for chunk_start in range(1, args.cases + 1, CASES_PER_CHUNK):
        chunk_ids = range(chunk_start, min(chunk_start + CASES_PER_CHUNK, args.cases + 1))
        size = len(chunk_ids)
        leaves = places.draw_leaves(size)
        outcomes = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS, k=size)
        channels = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS, k=size)
        worker_counts = rng.choices(WORKER_COUNTS, weights=WORKER_COUNT_WEIGHTS, k=size)
        cases, workers, claims = [], [], []
        for case_id, region_code, outcome, channel, worker_count in zip(
                chunk_ids, leaves, outcomes, channels, worker_counts, strict=True):
            prefecture = places.prefecture_of[region_code]
            received = received_days[case_id - 1]
            referred = started = due = settled = effective = ended = lawyer = venue = None
            extended, written_off, state = False, 0, "intake"
            if outcome == "rejected":
                day = received + randint(0, 5)
                if day <= last:
                    state, ended = "rejected", day
            else:
                day = received + int(expovariate(0.5))
                if day <= last:
                    referred, state = day, "referred"
                    if outcome == "withdrawn" and random_() < 0.3:  # before mediation started
                        day = referred + randint(1, 20)
                        if day <= last:
                            state, ended = "withdrawn", day
                    else:
                        day = referred + int(expovariate(1 / 3))
                        if day <= last:
                            started, state = day, "mediating"
                            due = working_day(started + 15)
                            if random_() < 0.08:
                                extended, due = True, working_day(due + randint(1, 15))
                            day = started + 1 + min(int(expovariate(1 / 9)), 90)
                            if day <= last:
                                if outcome == "agreed":
                                    state, settled = "settled", day
                                else:
                                    state, ended = outcome, day
            if referred is not None:
                leaf_venues = staff["venues_leaf"].get(region_code)
                venue = rng.choice(leaf_venues if leaf_venues and random_() < 0.7
                                   else staff["venues"].get(prefecture) or leaf_venues or [1])
                if started is not None or random_() < 0.6:
                    pool = staff["lawyers"].get(prefecture) or staff["all lawyers"]
                    lawyer = pool[int(len(pool) * random_() ** 1.5)]  # some lawyers carry more cases
            mediator = rng.choice(staff["mediators"][prefecture])

            if worker_count == COLLECTIVE_THRESHOLD:
                worker_count = randint(COLLECTIVE_THRESHOLD, 30)
            elif worker_count == 4:
                worker_count = randint(4, COLLECTIVE_THRESHOLD - 1)
            case_workers = range(worker_id + 1, worker_id + worker_count + 1)
            worker_id += worker_count
            percent = randint(40, 100)
            agreed_of = {}
            for worker in case_workers:
                workers.append((worker, case_id, f"工人{worker:07d}", f"2201{worker:014d}", None))
                agreed_total = 0
                for _ in range(1 if random_() < 0.65 else 2):
                    claim_id += 1
                    claimed = max(int(rng.lognormvariate(9.6, 0.9)), 300) * 100
                    agreed = max(claimed * percent // 100, 100) if settled is not None else None
                    agreed_total += agreed or 0
                    claims.append((claim_id, case_id, worker, rng.choices(kinds, weights=kind_weights)[0],
                                   claimed, agreed))
                agreed_of[worker] = agreed_total

            if settled is not None and settled + (lag := randint(0, 3)) <= last:
                # The agreement takes effect; the employer pays in installments, or defaults.
                effective = settled + lag
                behaviour = random_()
                installments = 1 if random_() < 0.6 else (2 if random_() < 0.6 else randint(3, 6))
                first_due = effective + randint(5, 30)
                dues = [first_due + 30 * i for i in range(installments)]
                kept = installments if behaviour < 0.72 else (randint(0, installments - 1) if behaviour < 0.92 else 0)
                paid_total, last_paid, everyone_paid = 0, effective, True
                method = rng.choice(PAYMENT_METHODS)
                for worker, agreed_total in agreed_of.items():
                    parts = min(installments, agreed_total)
                    amounts = [agreed_total // parts] * parts
                    amounts[-1] += agreed_total - sum(amounts)
                    paid = 0
                    for due_day, amount in zip(dues[:kept], amounts, strict=False):
                        day = max(due_day + randint(-5, 7), effective)
                        if day > last:
                            break
                        payments.append((day, case_id, worker, amount, method, mediator))
                        paid += amount
                        last_paid = max(last_paid, day)
                    if kept < parts and behaviour < 0.92 and random_() < 0.3 and amounts[kept] >= 2:
                        day = max(dues[kept] + randint(0, 20), effective)  # part of the next installment
                        if day <= last:
                            payments.append((day, case_id, worker, amounts[kept] // 2, method, mediator))
                            paid += amounts[kept] // 2
                    paid_total += paid
                    everyone_paid = everyone_paid and paid == agreed_total
                if everyone_paid:
                    if last_paid + (lag := randint(0, 10)) <= last:
                        state, ended = "closed", last_paid + lag
                elif kept < installments and dues[kept] < last - 15 and random_() < 0.7:
                    state = "enforcing"
                    if last - dues[kept] > 240 and random_() < 0.5:
                        # Enforcement concluded: the case is closed and the rest written off.
                        state, ended = "closed", dues[kept] + randint(200, 240)
                        written_off = sum(agreed_of.values()) - paid_total

            year = dt.date.fromordinal(received).year
            sequence[region_code, year] += 1
            received_on = days.date(received)
            created = days.moment(received)
            cases.append((
                case_id, f"{region_code}-{year}-{sequence[region_code, year]:05d}", channel,
                None if channel == "walk_in" else f"{channel.upper()}-{case_id:09d}", region_code, venue,
                (employer := 1 + int(args.employers * random_() ** 2)), mediator, lawyer, state,
                "ko" if prefecture == YANBIAN and random_() < 0.4 else "zh",
                None, "", worker_count, received_on, days.date(referred), days.date(started), days.date(due),
                loader.flag(False), loader.flag(extended), days.date(settled), days.date(effective), written_off,
                days.date(ended), "", created, days.moment(max(d for d in (received, referred, started, settled,
                                                                            effective, ended) if d is not None)),
                1, f"吉林测试企业{employer:07d}有限公司", f"91220{employer:013d}",
            ))
            counted["collective cases"] += worker_count >= COLLECTIVE_THRESHOLD
            counted["state " + state] += 1
        counted["cases"] += loader.write("case_file", CASE_COLUMNS, cases)
        counted["workers"] += loader.write("worker", WORKER_COLUMNS, workers)
        counted["claim items"] += loader.write("claim_item", CLAIM_COLUMNS, claims)
        if chunk_ids[-1] % 200_000 < CASES_PER_CHUNK:
            print(f"  {chunk_ids[-1]:,} cases", flush=True)
    payments.sort(key=lambda payment: payment[0])  # stable: in case order within a day
    for start in range(0, len(payments), CASES_PER_CHUNK * 2):
        counted["payments"] += loader.write("payment", PAYMENT_COLUMNS, [
            (payment_id, case_id, worker, amount, days.date(day), method, f"R{payment_id:09d}", None, recorded_by,
             days.moment(day))
            for payment_id, (day, case_id, worker, amount, method, recorded_by)
            in enumerate(payments[start:start + CASES_PER_CHUNK * 2], start + 1)])
    loader.write("case_number_sequence", SEQUENCE_COLUMNS,
                 [(code, year, value) for (code, year), value in sorted(sequence.items())])
    return dict(counted)


def build_data(args: argparse.Namespace, rng: random.Random) -> tuple[dict[str, int], dict[str, int], bool]:
    places = Places(args, rng)
    db.session.commit()
    db.session.remove()
    loader = PostgresLoader() if db.engine.dialect.name == "postgresql" else SqliteLoader()
    staff, counted = build_people(places, loader, rng)
    case_counts = build_cases(places, staff, loader, rng)
    loader.finish()
    counted.update({name: n for name, n in case_counts.items() if not name.startswith("state ")})
    states = {name[6:]: n for name, n in case_counts.items() if name.startswith("state ")}
    return counted, states, loader.unchecked


# --- the measurement ----------------------------------------------------------------------

# The headline totals per region code, in one statement: the cases received and settled in the
# period, what was claimed in the cases received, agreed in the cases settled, and paid (to
# anyone, on any case) in the period, per the glossary of mediation/stats/figures.py.
BASELINE = """
SELECT c.region_code,
       SUM(CASE WHEN c.received_on BETWEEN :start AND :end THEN 1 ELSE 0 END) AS received,
       SUM(CASE WHEN c.settled_on BETWEEN :start AND :end THEN 1 ELSE 0 END) AS settled,
       SUM(CASE WHEN c.received_on BETWEEN :start AND :end THEN coalesce(ci.claimed, 0) ELSE 0 END) AS claimed,
       SUM(CASE WHEN c.settled_on BETWEEN :start AND :end THEN coalesce(ci.agreed, 0) ELSE 0 END) AS agreed,
       SUM(coalesce(p.recovered, 0)) AS recovered
FROM case_file AS c
LEFT JOIN (SELECT case_id, SUM(claimed_fen) AS claimed, SUM(agreed_fen) AS agreed
           FROM claim_item GROUP BY case_id) AS ci ON ci.case_id = c.id
LEFT JOIN (SELECT case_id, SUM(amount_fen) AS recovered
           FROM payment WHERE paid_on BETWEEN :start AND :end GROUP BY case_id) AS p ON p.case_id = c.id
WHERE c.region_code IN (SELECT code FROM region WHERE path LIKE :subtree)
  AND (c.received_on BETWEEN :start AND :end OR c.settled_on BETWEEN :start AND :end OR p.case_id IS NOT NULL)
GROUP BY c.region_code
"""
TOTALS = ("received", "settled", "claimed", "agreed", "recovered")


class StatementLog:
    """Counts and keeps the statements sent to the database while it is recording, each with the
    moment it was sent: a statement's time is then what passed until the next one (or the end),
    which covers fetching its rows and the Python that handles them (SQLite computes most of a
    result while it is being fetched, after the cursor's execute has returned)."""

    def __init__(self) -> None:
        self.recording = False
        self.statements: list[tuple[str, object, float]] = []  # (statement, parameters, sent at)

    def __call__(self, _conn, _cursor, statement, parameters, _context, _executemany) -> None:  # noqa: ANN001
        if self.recording:
            self.statements.append((statement, parameters, time.perf_counter()))

    @contextmanager
    def record(self):
        self.statements = []
        self.recording = True
        try:
            yield self
        finally:
            self.recording = False

    def timed(self, ended: float) -> list[tuple[str, object, float]]:
        """(statement, parameters, seconds until the next statement or `ended`)."""
        moments = [sent for _, _, sent in self.statements[1:]] + [ended]
        return [(statement, parameters, until - sent)
                for (statement, parameters, sent), until in zip(self.statements, moments, strict=True)]


def fresh_session() -> Region:
    db.session.rollback()
    db.session.expire_all()
    db.session.remove()
    return db.session.get(Region, PROVINCE)  # what the page has in hand before it reads


def the_filters() -> StatsFilters:
    return StatsFilters(period=period.year(YEAR), region=PROVINCE)


def baseline_parameters(filters: StatsFilters, province: Region) -> dict:
    return {"start": filters.period.start, "end": filters.period.end, "subtree": province.path + "%"}


def time_build(log: StatementLog, *, from_cases: bool = False):  # noqa: ANN201
    province = fresh_session()
    filters = the_filters()
    gc.collect()
    with log.record():
        start = time.perf_counter()
        report = build(filters, province, from_cases=from_cases)
        ended = time.perf_counter()
    return ended - start, report, log.timed(ended)


def time_baseline() -> tuple[float, list]:
    province = fresh_session()
    filters = the_filters()
    parameters = baseline_parameters(filters, province)
    gc.collect()
    start = time.perf_counter()
    rows = db.session.execute(text(BASELINE), parameters).all()
    return time.perf_counter() - start, rows


def explain(log: StatementLog) -> None:
    postgres = db.engine.dialect.name == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    _, _, statements = time_build(log)
    connection = db.session.connection()
    print(f"\nPlans of the {len(statements)} statements of build():")
    for number, (statement, parameters, _) in enumerate(statements, 1):
        rows = connection.exec_driver_sql(prefix + statement, parameters).all()
        print(f"\n-- statement {number}: {' '.join(statement.split())[:400]}")
        for row in rows:
            print("   " + (row[0] if postgres else f"{row[1]:>3} {row[3]}"))
    province = fresh_session()
    print("\n-- baseline")
    rows = db.session.execute(text(prefix + BASELINE), baseline_parameters(the_filters(), province)).all()
    for row in rows:
        print("   " + (row[0] if postgres else f"{row[1]:>3} {row[3]}"))
    fresh_session()


def measure(args: argparse.Namespace, log: StatementLog) -> dict:
    for _ in range(2):  # warm-up: the caches, and the statements' compilation
        time_build(log)
        time_baseline()
    build_times, baseline_times, statement_times = [], [], defaultdict(list)
    statements, report, baseline_rows = [], None, []
    for index in range(args.repeat):
        if index % 2:  # alternate which runs first
            elapsed, baseline_rows = time_baseline()
            baseline_times.append(elapsed)
        elapsed, report, statements = time_build(log)
        report_table = figures_table(report)  # now, while its regions are still in the session
        build_times.append(elapsed)
        for number, (_, _, seconds) in enumerate(statements):
            statement_times[number].append(seconds)
        if not index % 2:
            elapsed, baseline_rows = time_baseline()
            baseline_times.append(elapsed)
    # The same page computed from the cases (what it was before the summary), for comparison.
    from_cases, cases_table = [], None
    for _ in range(args.repeat_from_cases):
        from_cases.append(time_build(log, from_cases=True))
        cases_table = figures_table(from_cases[-1][1])
    if args.explain:
        explain(log)
    fresh_session()
    return {"build": build_times, "baseline": baseline_times, "statements": statements,
            "statement_times": statement_times, "report": report, "baseline_rows": baseline_rows,
            "from_cases": [elapsed for elapsed, _, _ in from_cases],
            "report_from_cases": from_cases[-1][1] if from_cases else None,
            "table": report_table, "table_from_cases": cases_table}


# --- the report ---------------------------------------------------------------------------

def check_totals(report, baseline_rows: list, label: str = "build()") -> bool:  # noqa: ANN001
    baseline = dict.fromkeys(TOTALS, 0)
    for row in baseline_rows:
        for name in TOTALS:
            baseline[name] += int(getattr(row, name) or 0)
    total = report.total
    built = {"received": total.counts["received"], "settled": total.counts["settled"],
             "claimed": total.amounts["claimed"], "agreed": total.amounts["agreed"],
             "recovered": total.amounts["recovered"]}
    print()
    print(f"province totals for {YEAR}     {label:>20}{'baseline':>20}")
    same = True
    for name in TOTALS:
        equal = built[name] == baseline[name]
        same = same and equal
        unit = " fen" if name in ("claimed", "agreed", "recovered") else ""
        print(f"  {name + unit:26}{built[name]:>20,}{baseline[name]:>20,}{'' if equal else '   <-- DIFFERENT'}")
    return same


def print_report(counted: dict[str, int], states: dict[str, int], timings: dict[str, float], results: dict,
                 database: str, unchecked: bool) -> bool:
    build_ms = [t * 1000 for t in results["build"]]
    baseline_ms = [t * 1000 for t in results["baseline"]]
    report = results["report"]
    province = db.session.get(Region, PROVINCE)
    print()
    print(f"database            {database}")
    print("rows built          " + ", ".join(f"{n:,} {name}" for name, n in counted.items()))
    by_count = sorted(states.items(), key=lambda item: -item[1])
    print("case states         " + ", ".join(f"{n:,} {name}" for name, n in by_count))
    print(f"build time          {timings['total']:.1f} s (schema and regions {timings['schema']:.1f} s, "
          f"data {timings['data']:.1f} s{' without foreign-key checks' if unchecked else ''}, "
          f"summary rebuild {timings['summary']:.1f} s, statistics {timings['statistics']:.1f} s)")
    print(f"report              {YEAR} for {province.name_en} ({province.code}): {len(report.rows)} region rows, "
          f"{len(report.lawyers)} lawyer rows, {len(report.venues)} venue rows")
    print(f"SQL per build       {len(results['statements'])}")
    print()
    print(f"{'':24}{'median ms':>12}{'p90 ms':>12}")
    print(f"{'build()':24}{statistics.median(build_ms):>12.1f}{p90(build_ms):>12.1f}")
    print(f"{'baseline (1 query)':24}{statistics.median(baseline_ms):>12.1f}{p90(baseline_ms):>12.1f}")
    if results["from_cases"]:
        cases_ms = [t * 1000 for t in results["from_cases"]]
        print(f"{'build(from_cases=True)':24}{statistics.median(cases_ms):>12.1f}{p90(cases_ms):>12.1f}")
    ratio = statistics.median(build_ms) / statistics.median(baseline_ms)
    print(f"ratio median(build) / median(baseline): {ratio:.2f}")
    if results["from_cases"]:
        print(f"ratio median(build from the cases) / median(baseline): "
              f"{statistics.median(cases_ms) / statistics.median(baseline_ms):.2f}")
    print()
    print("build()'s statements, slowest first (median ms from each one to the next, over the timed runs):")
    medians = {n: statistics.median(ts) * 1000 for n, ts in results["statement_times"].items()}
    for number, ms in sorted(medians.items(), key=lambda item: -item[1])[:8]:
        statement = " ".join(results["statements"][number][0].split())
        print(f"  #{number + 1:<3}{ms:>9.1f}  {statement[:110]}")
    same = check_totals(report, results["baseline_rows"])
    if results["report_from_cases"] is not None:
        same = check_totals(results["report_from_cases"], results["baseline_rows"], "build(from_cases)") and same
        same = same_figures(results["table"], results["table_from_cases"]) and same
    return same


def figures_table(report) -> dict:  # noqa: ANN001
    """Every figure of every region row, lawyer and venue, and the total, as plain values."""
    rows = {("region", row.region.code): row.figures for row in report.rows}
    rows.update({("lawyer", row.id): row.figures for row in report.lawyers})
    rows.update({("venue", row.id): row.figures for row in report.venues})
    rows[("total", None)] = report.total
    return {key: (dict(+f.counts), dict(+f.amounts), f.workers_paid, dict(f.days)) for key, f in rows.items()}


def same_figures(left: dict, right: dict) -> bool:
    """The page's figures from the summary against the same page's from the cases."""
    differing = [key for key in left.keys() | right.keys() if left.get(key) != right.get(key)]
    differing.sort(key=str)
    print(f"\nevery figure of {len(left)} rows (regions, lawyers, venues, total), summary vs cases: "
          + ("identical" if not differing else f"{len(differing)} rows DIFFERENT, e.g. {differing[:5]}"))
    return not differing


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
            print(f"schema and regions ready in {timings['schema']:.1f} s; building {args.cases:,} cases...",
                  flush=True)
            mark = time.perf_counter()
            counted, states, unchecked = build_data(args, rng)
            timings["data"] = time.perf_counter() - mark
            mark = time.perf_counter()
            with db.engine.begin() as connection:  # the COPY bypassed the hooks that keep it
                counted["summary cells"] = summary.rebuild(connection)
            timings["summary"] = time.perf_counter() - mark
            print(f"summary rebuilt in {timings['summary']:.1f} s", flush=True)
            mark = time.perf_counter()
            refresh_statistics()
            timings["statistics"] = time.perf_counter() - mark
            timings["total"] = time.perf_counter() - started
            print(f"built in {timings['total']:.1f} s; timing {args.repeat} builds and baselines...", flush=True)
            database = describe_database()
            db.session.remove()
        log = StatementLog()
        # Measured inside a GET request, as the statistics page reads (on SQLite this also makes
        # transactions begin as a reading request's do).
        with app.test_request_context("/", method="GET"):
            event.listen(db.engine, "before_cursor_execute", log)
            results = measure(args, log)
            same = print_report(counted, states, timings, results, database, unchecked)
            db.session.remove()
            db.engine.dispose()
    if not same:
        print("\nMISMATCH: build() and the baseline disagree on the province totals above; one of them "
              "is wrong. The timings are not worth comparing until they agree.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
