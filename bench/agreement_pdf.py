"""Benchmark: how long building the agreement PDF takes for 1 and 200 workers, against a
one-page plain ReportLab document in the same embedded font, built in the same run.

The cases are built in memory (transient model objects, no database): the benchmark is about
the layout (tables over pages, the page-counting canvas, the QR code, the font subset), not
about reading. Each figure is the median of ``--repeat`` builds, alternating with the baseline
so machine noise affects both; the ratio median(agreement) / median(baseline) is what to compare
between machines.

Run from the project root:

    .venv/bin/python bench/agreement_pdf.py [--repeat 15]

Nothing is written inside the repository but the compiled translations (as `make setup` does);
the Flask instance folder lives in a temporary directory removed at exit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

CNY_12000 = 1_200_000


def build_case(workers: int):  # noqa: ANN201
    """A settled case with `workers` workers, one wage claim each paid in two installments, in
    memory only."""
    from mediation.models import Case, ClaimItem, Installment, Region, User, Venue, Worker

    region = Region(code="220102", level="county", name_zh="南关区", name_en="Nanguan", path="220000/220100/220102/")
    case = Case(id=1, number="220102-2026-00001", state="settled", summary="用人单位拖欠工资三个月。" * 3,
                region=region, venue=Venue(id=1, name="南关区人民法院劳动争议调解工作室", address="长春市南关区"),
                employer_name="长春测试机械有限公司", employer_uscc="91220101000000001X",
                employer_legal_representative="王法人", employer_address="长春市南关区人民大街1号",
                mediator=User(full_name="李调解"), settled_on=dt.date(2026, 11, 20))
    case.workers = [Worker(id=i, name=f"工人{i}", id_number=f"220102198506{i:06d}") for i in range(1, workers + 1)]
    case.claims = [ClaimItem(worker_id=i, kind="wages", claimed_fen=CNY_12000, agreed_fen=CNY_12000)
                   for i in range(1, workers + 1)]
    due = {1: dt.date(2026, 12, 20), 2: dt.date(2027, 1, 20)}
    case.installments = [Installment(worker=w, worker_id=w.id, seq=seq, due_on=due[seq], amount_fen=CNY_12000 // 2)
                         for w in case.workers for seq in due]
    return case


def baseline_pdf() -> bytes:
    """One page of plain text in the same font: what any ReportLab document costs here."""
    from mediation.settlements.pdf import FONT, register_font

    register_font()
    style = ParagraphStyle("b", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [Paragraph("劳动争议调解协议书", style)] + [Paragraph("经调解，双方自愿达成如下协议。" * 4, style)] * 10)
    return buffer.getvalue()


def timed(build) -> tuple[float, bytes]:  # noqa: ANN001
    start = time.perf_counter()
    content = build()
    return time.perf_counter() - start, content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MEDIATION_INSTANCE_PATH"] = tmp
        from mediation import create_app
        from mediation.cli.translations import compile_catalogues
        from mediation.settlements.pdf import Stamp, agreement_pdf

        compile_catalogues()
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "SECRET_KEY": "bench"})
        stamp = Stamp(version=1, verification_code="ABCDE23456", verify_url="https://example.org/verify?code=ABCDE23456",
                      issued_on=dt.date(2026, 11, 24))
        with app.app_context():
            baseline_pdf()  # warm up: font parsing and registration happen once per process
            for workers in (1, 200):
                case = build_case(workers)
                agreement_pdf(case, stamp)
                runs, bases, size = [], [], 0
                for _ in range(args.repeat):
                    seconds, content = timed(lambda case=case: agreement_pdf(case, stamp))
                    runs.append(seconds)
                    size = len(content)
                    bases.append(timed(baseline_pdf)[0])
                pages = content.count(b"/Type /Page\n")
                agreement, base = statistics.median(runs), statistics.median(bases)
                print(f"{workers:>3} worker(s): agreement median {agreement * 1000:8.1f} ms "
                      f"({size / 1024:.0f} KiB, {pages} pages) | one-page baseline median {base * 1000:6.1f} ms "
                      f"| ratio {agreement / base:5.1f}")
        print(f"repeat={args.repeat}, python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
