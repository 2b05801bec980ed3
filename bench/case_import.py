"""Benchmark: importing a case ledger of 100,000 rows, against a plain bulk insert of the same rows.

``mediation.imports.services.import_ledger()`` reads a ledger file (CSV or XLSX), checks every
row (identity numbers, codes, dates, amounts, the consistency of each case's rows), looks up
the regions, venues, workers, employers and cases already on record, and writes the new cases
with their parties, claim items, payments and events in one transaction, then adds them to the
statistics' monthly summary. This script times that on a generated ledger:

1. It builds the schema with the real migrations, loads the Jilin regions and one supervisor,
   and writes a ledger of ``--rows`` rows to a CSV file as Excel's "CSV UTF-8" saves it (with
   a BOM, Chinese headers): cases in the county-level regions received 2023-2025, one to three
   workers mostly and now and then a collective case of 10-30, one or two claim items each,
   employers shared between cases and some workers coming back in a later case (a row of that
   case's own, and a warning of the cross-case index if the name differs), outcomes
   settled (paid in full or in part), failed, withdrawn or pending. Every row is valid.

2. An untimed import fills the tables once; every row it wrote (employer, case_file, worker,
   claim_item, payment, case_event) is read back. Then, ``--repeat`` times and
   alternating, each starting from emptied tables:

   - the baseline: those very rows, ids included, inserted with Core ``executemany`` into the
     same tables in batches of 10,000, in one transaction, committed;
   - the import: ``import_ledger(path=...)`` from the file on disk, committed.

3. It prints the median of each, as ledger rows per second, and the ratio
   median(import) / median(baseline): the import's cost in "plain inserts of what it writes",
   measured on the same machine at the same moment (the goal is under 5). It checks that the
   last import wrote as many rows of each table as the baseline and that the monthly summary
   equals a recomputation from the cases (``summary.verify``); a difference exits with status 1.

Run from the project root:

    .venv/bin/python bench/case_import.py                       # SQLite file in a temp dir
    .venv/bin/python bench/case_import.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/mediation_bench_import

With a PostgreSQL URL the script starts with DROP SCHEMA public CASCADE: give it a database of
its own. Nothing is written inside the repository.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import delete, func, insert, select, text  # noqa: E402
from stdnum.cn import ric, uscc  # noqa: E402

from bench.common import app_config, describe_database, reset_postgres  # noqa: E402
from mediation import create_app  # noqa: E402
from mediation.audit.guard import events_unguarded  # noqa: E402
from mediation.extensions import db  # noqa: E402
from mediation.imports.reader import COLUMN_ALIASES  # noqa: E402
from mediation.imports.services import import_ledger  # noqa: E402
from mediation.models import (  # noqa: E402
    Case,
    CaseEvent,
    CaseNumberSequence,
    ClaimItem,
    Employer,
    Payment,
    Region,
    StatsCasePart,
    StatsMonth,
    StatsMonthDays,
    User,
    Worker,
)
from mediation.regions.tree import regions_load  # noqa: E402
from mediation.stats import summary  # noqa: E402
from mediation.web.commit import commit  # noqa: E402

BATCH = 10_000
# The tables the import writes, parents first; the baseline inserts the same rows into them.
# What the import writes, parents first, statistics last: the baseline inserts the same rows.
WRITTEN = (Employer.__table__, Case.__table__, Worker.__table__, ClaimItem.__table__,
           Payment.__table__, CaseEvent.__table__, StatsCasePart.__table__, StatsMonth.__table__,
           StatsMonthDays.__table__)
# Emptied between runs, children first (the kept statistics too: parts of a case left from the
# last run would be subtracted from the next run's months), with the case numbers besides.
EMPTIED = (*reversed(WRITTEN), CaseNumberSequence.__table__)
OUTCOMES = (("settled", 45), ("settled_part", 15), ("failed", 22), ("withdrawn", 9), ("pending", 9))
KINDS = ("拖欠工资", "加班费", "经济补偿", "社会保险", "工伤待遇", "其他")
KIND_WEIGHTS = (45, 15, 15, 12, 8, 5)
CHANNELS = (("法院", "court"), ("人社", "hr"), ("来访", "walk_in"))
FIRST_DAY, LAST_DAY = dt.date(2023, 1, 1), dt.date(2025, 12, 31)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗金朴崔"
GIVEN_NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="SQLAlchemy URL; default: a fresh SQLite file in a temp dir. "
                        "A PostgreSQL database is WIPED (DROP SCHEMA public CASCADE) first.")
    parser.add_argument("--rows", type=int, default=100_000, help="ledger rows (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the ledger")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of one import")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    return args


# --- the ledger -----------------------------------------------------------------------------

class People:
    """Valid, distinct resident ID numbers and credit codes, with names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[str] = set()

    def worker(self, area: str) -> tuple[str, str]:
        """Aged 20 to 60, registered in the county of the case (the area code of the ID)."""
        body = ""
        while not body or body in self.taken:
            born = dt.date(1966, 1, 1) + dt.timedelta(days=self.rng.randrange(40 * 365))
            body = f"{area}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
        self.taken.add(body)
        name = self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN_NAMES, k=self.rng.randint(1, 2)))
        return name, body + ric.calc_check_digit(body + "0")

    def employer(self, number: int) -> tuple[str, str]:
        body = f"91220101{number:09d}"
        return f"吉林省测试{number:05d}有限公司", body + uscc.calc_check_digit(body + "0")


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def ledger_rows(count: int, regions: list[str], rng: random.Random) -> list[list[str]]:
    """Rows in the column order of COLUMN_ALIASES, as text, case after case."""
    people = People(rng)
    employers = [people.employer(n) for n in range(1, max(count // 15, 2))]
    known: list[tuple[str, str]] = []
    rows: list[list[str]] = []
    number = 0
    while len(rows) < count:
        number += 1
        size = rng.choices((1, 2, 3, 6, rng.randint(10, 30)), (62, 21, 11, 4.5, 1.5))[0]
        channel_zh, channel = rng.choices(CHANNELS, (45, 35, 20))[0]
        region = rng.choice(regions)
        workers = [rng.choice(known) if known and rng.random() < 0.05 else people.worker(region)
                   for _ in range(size)]
        workers = list(dict.fromkeys(workers))
        known.extend(workers)
        received = _day(rng, FIRST_DAY, LAST_DAY - dt.timedelta(days=60))
        outcome = rng.choices([o for o, _w in OUTCOMES], [w for _o, w in OUTCOMES])[0]
        closed = received + dt.timedelta(days=rng.randint(3, 45)) if outcome != "pending" else None
        employer_name, employer_code = rng.choice(employers)
        ref = {"court": f"({received.year})吉{region[2:]}民初{number}号", "hr": f"吉人社调{received.year}-{number}",
               "walk_in": f"来访-{received.year}-{number}"}[channel]
        result = {"settled": "调解成功", "settled_part": "调解成功", "failed": "调解不成", "withdrawn": "撤回",
                  "pending": "在办"}[outcome]
        for name, id_number in workers:
            phone = f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
            kinds = rng.sample(KINDS, rng.choices((1, 2), (70, 30))[0], counts=KIND_WEIGHTS)
            for kind in dict.fromkeys(kinds):
                claimed = rng.randint(50_000, 5_000_000)  # fen
                agreed = paid = paid_on = ""
                if outcome.startswith("settled"):
                    agreed_fen = claimed * rng.randint(50, 100) // 100
                    paid_fen = agreed_fen if outcome == "settled" else agreed_fen * rng.randint(0, 90) // 100
                    agreed, paid = _yuan(agreed_fen), _yuan(paid_fen) if paid_fen else ""
                    paid_on = (closed + dt.timedelta(days=rng.randint(0, 20))).isoformat() if paid_fen else ""
                rows.append([ref, channel_zh, region, "", received.isoformat(), employer_name, employer_code, name,
                             id_number, phone, kind, _yuan(claimed), result, agreed, paid, paid_on,
                             closed.isoformat() if closed else ""])
    return rows[:count] if len(rows) == count else _whole_cases(rows, count)


def _whole_cases(rows: list[list[str]], count: int) -> list[list[str]]:
    """Cut after `count` rows without leaving a case half in the file."""
    last_ref = rows[count - 1][0]
    end = count
    while end < len(rows) and rows[end][0] == last_ref:
        end += 1
    return rows[:end]


def write_csv(rows: list[list[str]], path: Path) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([aliases[0] for aliases in COLUMN_ALIASES.values()])
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8-sig"))  # Excel's "CSV UTF-8"


# --- the runs -------------------------------------------------------------------------------

def empty_tables() -> None:
    db.session.rollback()
    with events_unguarded(db.session.connection()):  # case events are otherwise never removed
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(table.name for table in EMPTIED)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))  # and the empty tables below
        else:
            for table in EMPTIED:
                db.session.execute(delete(table))
    db.session.commit()
    db.session.remove()


def written_rows() -> dict:
    """Every row the import wrote, table by table, as dicts ready for an executemany."""
    connection = db.session.connection()
    return {table: [dict(row._mapping) for row in connection.execute(select(table))] for table in WRITTEN}


def table_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in WRITTEN}


def time_baseline(rows: dict) -> float:
    started = time.perf_counter()
    with db.engine.begin() as connection:
        for table, values in rows.items():
            for start in range(0, len(values), BATCH):
                connection.execute(insert(table), values[start:start + BATCH])
    elapsed = time.perf_counter() - started
    if db.engine.dialect.name == "postgresql":  # the ids were given: move the sequences past them
        with db.engine.begin() as connection:
            for table in WRITTEN:
                if "id" in table.c:
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                            f"coalesce(max(id), 1)) FROM {table.name}"))
    return elapsed


def time_import(path: Path, username: str):  # noqa: ANN201
    actor = db.session.execute(select(User).where(User.username == username)).scalar_one()
    actor.region  # noqa: B018 - loaded before the clock starts, as in a request
    started = time.perf_counter()
    report = import_ledger(actor=actor, filename=path.name, path=path)
    commit()  # the commit point keeps the statistics of the cases written, as the page and the CLI do
    elapsed = time.perf_counter() - started
    db.session.remove()
    if not report.ok or not report.imported:
        raise SystemExit(f"the import refused the generated ledger: {report.problems[:5]}")
    return elapsed, report


def setup(url: str) -> str:
    if url.startswith("postgresql"):
        reset_postgres(url)
    upgrade()
    regions_load()
    db.session.add(User(username="importer", full_name="导入员", password_hash="not-a-real-hash",
                        role="supervisor", region_code="220000"))
    db.session.commit()
    return "importer"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="mediation-bench-") as tmp:
        os.environ["MEDIATION_INSTANCE_PATH"] = str(Path(tmp) / "instance")
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app(app_config(url))
        with app.app_context():
            username = setup(url)
            parents = set(db.session.scalars(select(Region.parent_code)))
            leaves = [code for code in db.session.scalars(select(Region.code).where(Region.level != "province"))
                      if code not in parents]
            rows = ledger_rows(args.rows, sorted(leaves), rng)
            path = Path(tmp) / "台账.csv"
            write_csv(rows, path)
            print(f"{describe_database()}; ledger: {len(rows):,} rows, {path.stat().st_size / 2**20:.1f} MB",
                  flush=True)
            warm, report = time_import(path, username)
            expected, baseline_rows = table_counts(), written_rows()
            print(f"first import (untimed warm-up) {warm:.2f} s: {report.imported:,} cases, "
                  f"{report.written.workers_created:,} workers, {report.written.employers_created:,} employers, "
                  f"{report.written.claims:,} claim items, {report.written.payments:,} payments; "
                  f"{len(report.warnings):,} warnings (ID birth-place codes)", flush=True)
            if args.profile:
                profile(path, username)
            imports, baselines = [], []
            for run in range(args.repeat):
                empty_tables()
                baselines.append(time_baseline(baseline_rows))
                empty_tables()
                imports.append(time_import(path, username)[0])
                print(f"run {run + 1}: baseline {baselines[-1]:.2f} s, import {imports[-1]:.2f} s", flush=True)
            same = table_counts() == expected
            drift = summary.verify(db.session.connection())
            db.session.remove()
            db.engine.dispose()
    import_s, baseline_s = statistics.median(imports), statistics.median(baselines)
    print(f"\nimport   {import_s:7.2f} s  {len(rows) / import_s:10,.0f} rows/s  (median of {args.repeat})")
    print(f"baseline {baseline_s:7.2f} s  {len(rows) / baseline_s:10,.0f} rows/s  (Core executemany of the same "
          f"{sum(expected.values()):,} table rows)")
    print(f"ratio    {import_s / baseline_s:7.2f}  (goal: under 5)")
    print(f"rows written equal the baseline's: {'yes' if same else 'NO'}; monthly summary equals a recomputation: "
          f"{'yes' if not drift else f'NO, {len(drift)} cells differ'}")
    return 0 if same and not drift else 1


def profile(path: Path, username: str) -> None:
    import cProfile
    import pstats

    empty_tables()
    profiler = cProfile.Profile()
    profiler.enable()
    time_import(path, username)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    sys.exit(main())
