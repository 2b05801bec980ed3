"""Benchmark: what keeping the statistics' monthly summary costs each write.

The commit point (mediation/web/commit.py) keeps it for the cases a write names as touched: it
reads each one's facts as last counted and as they are now, and adds the difference to the
summary (mediation/stats/summary.py, `keep`). This script times the commit of one payment (insert
a Payment row, name its case, commit) through the commit point and with a plain commit that
keeps nothing, alternating in the same loop on the same cases, and prints the medians and their
ratio. It then checks that the summary kept by the first half still equals a recomputation,
less the payments the plain half wrote (which it then rebuilds).

    .venv/bin/python bench/summary_upkeep.py                    # SQLite file in a temp dir
    .venv/bin/python bench/summary_upkeep.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/mediation_bench_upkeep
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from bench.common import app_config, p90, reset_postgres  # noqa: E402
from mediation import create_app  # noqa: E402
from mediation.case_core.events import note_cases_touched, take_cases_touched  # noqa: E402
from mediation.extensions import db  # noqa: E402
from mediation.models import Case, ClaimItem, Employer, Payment, User, Worker  # noqa: E402
from mediation.regions.tree import regions_load  # noqa: E402
from mediation.stats import summary  # noqa: E402
from mediation.web.commit import commit  # noqa: E402


def make_cases(count: int) -> tuple[list[tuple[int, int]], int]:
    """`count` settled cases of two workers each; [(case id, worker id)] and a recording user's id."""
    user = User(username="bench", full_name="bench", role="mediator", region_code="220100", password_hash="x")
    db.session.add(user)
    pairs = []
    for n in range(count):
        workers = [Worker(name=f"工人{n}-{i}", id_number=f"{n:012d}{i:06d}") for i in range(2)]
        case = Case(number=f"B-{n}", channel="court", referral_ref=f"B{n}", region_code="220102",
                    employer_master=Employer(name=f"单位{n}", uscc=f"9122{n:014d}"), employer_name=f"单位{n}",
                    employer_uscc=f"9122{n:014d}", state="settled", worker_count=2,
                    received_on=dt.date(2026, 1, 5), mediation_started_on=dt.date(2026, 1, 6),
                    mediation_due_on=dt.date(2026, 1, 21), settled_on=dt.date(2026, 1, 20))
        case.workers = workers
        db.session.add(case)
        db.session.flush()
        db.session.add_all([ClaimItem(case_id=case.id, worker_id=w.id, kind="wages", claimed_fen=10_000_000,
                                      agreed_fen=10_000_000) for w in workers])
        pairs.append((case.id, workers[0].id))
    note_cases_touched(case_id for case_id, _ in pairs)
    commit()
    return pairs, user.id


def time_payment(case_id: int, worker_id: int, user_id: int, day: dt.date, *, keep: bool) -> float:
    start = time.perf_counter()
    db.session.add(Payment(case_id=case_id, worker_id=worker_id, amount_fen=100, paid_on=day, method="cash",
                           recorded_by_id=user_id))
    if keep:
        note_cases_touched([case_id])  # as record_event does for a payment
        commit()
    else:
        take_cases_touched()
        db.session.commit()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: SQLite in a temp dir; a PostgreSQL database is WIPED")
    parser.add_argument("--payments", type=int, default=400, help="timed payments of each kind (default 400)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mediation-bench-") as tmp:
        os.environ["MEDIATION_INSTANCE_PATH"] = str(Path(tmp) / "instance")
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        if url.startswith("postgresql"):
            reset_postgres(url)
        app = create_app(app_config(url))
        with app.app_context():
            upgrade()
            regions_load()
            pairs, user_id = make_cases(50)
            hooked, plain = [], []
            for n in range(args.payments * 2):
                case_id, worker_id = pairs[n % len(pairs)]
                day = dt.date(2026, 2, 1) + dt.timedelta(days=n % 250)
                keep = n % 2 == 0
                (hooked if keep else plain).append(time_payment(case_id, worker_id, user_id, day, keep=keep))
            hooked_ms = [t * 1000 for t in hooked[10:]]  # the first few warm the caches
            plain_ms = [t * 1000 for t in plain[10:]]
            print(f"database             {db.engine.dialect.name}")
            print(f"{'':20}{'median ms':>12}{'p90 ms':>12}")
            print(f"{'with the summary':20}{statistics.median(hooked_ms):>12.2f}{p90(hooked_ms):>12.2f}")
            print(f"{'without':20}{statistics.median(plain_ms):>12.2f}{p90(plain_ms):>12.2f}")
            print(f"ratio                {statistics.median(hooked_ms) / statistics.median(plain_ms):.2f}")
            # The plain half's payments are missing from the summary: exactly those, and nothing else.
            missing = len(summary.verify(db.session.connection()))
            summary.rebuild(db.session.connection())
            db.session.commit()
            drift = summary.verify(db.session.connection())
            print(f"cells and cases missing the plain payments: {missing}; after rebuild: {len(drift)} differing")
            db.session.remove()
            db.engine.dispose()
            return 1 if drift else 0


if __name__ == "__main__":
    sys.exit(main())
