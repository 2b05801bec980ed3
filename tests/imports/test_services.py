"""import_ledger: what a ledger becomes (states, dates, money, numbers, events), matching people
across the database, re-imports, skipping invalid cases, and every bad input writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from mediation.common.errors import NotPermitted
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.imports import reader
from mediation.imports.services import import_ledger
from mediation.models import Case, CaseEvent, Employer, Payment, Worker
from mediation.web.commit import commit
from tests.factories import credit_code, make_user
from tests.imports.conftest import (
    EMPLOYER,
    a_case,
    bad_check_digit,
    counts,
    ledger,
    person_id,
    row,
    to_csv,
    to_xlsx,
)


def run(actor, rows_or_bytes, *, filename: str = "ledger.csv", skip_invalid: bool = False):  # noqa: ANN001, ANN201
    data = rows_or_bytes if isinstance(rows_or_bytes, bytes) else to_csv(rows_or_bytes)
    report = import_ledger(actor=actor, filename=filename, file_bytes=data, skip_invalid=skip_invalid)
    commit()  # as the import page and command do
    return report


def problems(report) -> list[tuple]:  # noqa: ANN001
    return [(p.row, p.column) for p in report.problems]


def english(report) -> str:  # noqa: ANN001
    with force_locale("en"):
        return " | ".join(str(p.message) for p in report.problems)


def _case(ref: str) -> Case:
    return db.session.execute(select(Case).where(Case.referral_ref == ref)).scalar_one()


# --- what a ledger becomes ---------------------------------------------------------------------

def test_each_result_becomes_the_state_and_dates_the_statistics_read(importer):
    report = run(importer, ledger())
    assert report.ok and report.imported == 5 and report.rows == 8
    assert (report.written.workers_created, report.written.employers_created) == (6, 2)
    assert (report.written.claims, report.written.payments) == (8, 5)

    paid = _case("(2025)吉0102民初1号")
    assert paid.state == "closed" and paid.worker_count == 2 and len(paid.claims) == 4
    assert (paid.received_on, paid.mediation_started_on, paid.settled_on, paid.ended_on) == (
        dt.date(2025, 3, 3), dt.date(2025, 3, 3), dt.date(2025, 3, 20), dt.date(2025, 4, 1))
    assert paid.mediation_due_on == dt.date(2025, 3, 18) and paid.agreement_effective_on == dt.date(2025, 3, 20)
    assert (paid.claimed_fen, paid.agreed_fen, paid.paid_fen) == (2_000_000, 1_600_000, 1_600_000)
    assert {p.method for p in paid.payments} == {"other"} and paid.payments[0].recorded_by_id == importer.id

    owed = _case("(2025)吉0102民初2号")
    assert owed.state == "settled" and owed.outstanding_fen == 300_000 and owed.employer.name == "长春第二测试厂"
    failed, withdrawn, pending = _case("人社-2025-7"), _case("来访-2025-3"), _case("(2025)吉0102民初5号")
    assert (failed.state, failed.channel, failed.ended_on, failed.settled_on) == ("failed", "hr", dt.date(2025, 3, 20),
                                                                                 None)
    assert all(item.agreed_fen is None for item in failed.claims) and not failed.payments
    assert (withdrawn.state, withdrawn.ended_on, withdrawn.mediation_started_on) == (
        "withdrawn", dt.date(2025, 3, 10), None)
    assert (pending.state, pending.ended_on, pending.mediation_started_on) == ("intake", None, None)

    # numbered per region and year in the order of acceptance; one "import" event per case
    numbers = {c.referral_ref: c.number for c in db.session.scalars(select(Case))}
    assert sorted(numbers.values()) == [f"220102-2025-{n:05d}" for n in range(1, 6)]
    assert numbers["(2025)吉0102民初5号"] == "220102-2025-00005"  # accepted last
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == paid.id)).one()
    assert (event.action, event.to_state, event.actor_id, event.note) == ("import", "closed", importer.id,
                                                                         "ledger.csv")
    assert event.detail == {"file": "ledger.csv", "rows": [2, 3, 4, 5], "outcome": "settled"}


def test_statistics_count_imported_cases_like_cases_worked_in_the_system(importer):
    from mediation.models import Region
    from mediation.stats import period, summary
    from mediation.stats.figures import StatsFilters
    from mediation.stats.report import build

    run(importer, ledger())
    assert summary.verify(db.session.connection()) == []
    filters = StatsFilters(period=period.parse("2025"), region="220000")
    province = db.session.get(Region, "220000")
    total = build(filters, province).total
    assert total.amounts["agreed"] == 2_000_000 and total.amounts["recovered"] == 1_700_000
    assert total.amounts["claimed"] == 4_000_000 and total.amounts["outstanding"] == 300_000
    assert +total.counts == {"received": 5, "settled": 2, "failed": 1, "withdrawn": 1, "closed": 1}
    assert total.median_days == 17
    same = build(filters, province, from_cases=True).total
    assert (same.counts, same.amounts) == (total.counts, total.amounts)


def test_an_imported_settled_case_takes_further_payments_in_the_system(importer):
    from mediation.settlements.ledger import payment_record
    from mediation.stats import summary

    run(importer, ledger())
    case, admin = _case("(2025)吉0102民初2号"), make_user("admin", "220000")
    payment_record(case=case, actor=admin, expected_version=None, worker_id=case.workers[0].id,
                   amount_fen=300_000, paid_on=today(), method="bank_transfer")
    commit()
    assert case.outstanding_fen == 0 and summary.verify(db.session.connection()) == []


def test_xlsx_with_chinese_headers_imports_the_same(importer):
    report = run(importer, to_xlsx(ledger(), title="2025年劳动争议调解台账"), filename="台账.xlsx")
    assert report.ok and report.imported == 5 and report.file_format == "XLSX"
    assert _case("(2025)吉0102民初1号").agreed_fen == 1_600_000


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_csv_encodings_and_chinese_values_import_the_same(importer, encoding, language):
    rows = [row(case_ref="A-1", channel="法院", claim_kind="加班费", outcome="调解成功", received_on="2025年3月3日"),
            row(case_ref="A-2", channel="人社", outcome="调解不成", agreed_amount="", paid_amount="", paid_on="",
                worker_id_number=person_id(), received_on="2025/3/3", closed_on="2025.3.20")]
    report = run(importer, to_csv(rows, encoding=encoding, language=language))
    assert report.ok and report.imported == 2, english(report)
    assert _case("A-1").claims[0].kind == "overtime" and _case("A-2").state == "failed"


# --- matching, re-import, skipping -------------------------------------------------------------

def test_importing_the_same_file_twice_creates_nothing_new(importer):
    data = to_csv(ledger())
    first = run(importer, data)
    before = counts()
    again = run(importer, data)
    assert again.ok and again.imported == 0 and counts() == before
    assert sorted(number for _ref, number in again.existing) == sorted(
        db.session.scalars(select(Case.number))) and first.imported == 5


def test_employers_are_matched_by_code_and_workers_recorded_per_case(importer):
    run(importer, a_case("A"))
    known_worker = db.session.scalars(select(Worker)).one()
    report = run(importer, [row(case_ref="B", worker_id_number=known_worker.id_number,
                                worker_name=known_worker.name, employer_name="改名后的公司")])
    assert report.imported == 1 and report.written.workers_matched == 1 and report.written.employers_matched == 1
    assert counts()["worker"] == 2 and counts()["employer"] == 1
    assert db.session.scalars(select(Employer.name)).one() == "长春导入测试有限公司"  # the master is kept
    b = _case("B")
    assert [(w.name, w.id_number) for w in b.workers] == [(known_worker.name, known_worker.id_number)]
    assert b.workers[0].id != known_worker.id and b.employer.name == "改名后的公司"
    assert [p.column for p in report.warnings] == ["employer_name"]  # the other name, named: the importer's scope


def test_a_new_file_continues_the_case_numbers(importer):
    run(importer, a_case("A"))
    run(importer, a_case("B"))
    assert _case("B").number == "220102-2025-00002"


def test_skip_invalid_imports_only_the_cases_without_errors(importer):
    rows = ledger()
    rows[4] = {**rows[4], "claimed_amount": "abc"}  # row 6: the second case
    report = run(importer, rows, skip_invalid=True)
    assert problems(report) == [(6, "claimed_amount")]
    assert report.imported == 4 and report.skipped == 1
    assert "(2025)吉0102民初2号" not in set(db.session.scalars(select(Case.referral_ref)))
    assert counts()["employer"] == 1  # the skipped case's employer is not created either


def test_skip_invalid_keeps_the_first_case_of_a_worker_named_twice(importer):
    number = person_id()
    rows = [row(case_ref="A", worker_id_number=number, worker_name="王五"),
            row(case_ref="B", worker_id_number=number, worker_name="王六")]
    report = run(importer, rows, skip_invalid=True)
    assert problems(report) == [(3, "worker_name")] and report.imported == 1
    assert db.session.scalars(select(Worker.name)).one() == "王五"


def test_only_supervisors_and_admins_import(importer):
    for role in ("mediator", "lawyer"):
        with pytest.raises(NotPermitted):
            import_ledger(actor=make_user(role, "220000"), filename="l.csv", file_bytes=to_csv(ledger()))
    assert run(make_user("admin", "220100"), a_case("A")).imported == 1


def test_cases_outside_the_importers_region_are_refused(app):
    yanbian = make_user("supervisor", "222400")
    report = run(yanbian, [row(), row(case_ref="B", region_code="222401", worker_id_number=person_id())])
    assert problems(report) == [(2, "region_code")] and counts()["case_file"] == 0


# --- bad input: every problem listed, nothing written ------------------------------------------

FUTURE = (today() + dt.timedelta(days=3)).isoformat()
BAD_ROWS = {
    "amount is text": ({"claimed_amount": "五千元"}, "claimed_amount"),
    "amount negative": ({"claimed_amount": "-5"}, "claimed_amount"),
    "amount three decimals": ({"claimed_amount": "5000.005"}, "claimed_amount"),
    "amount zero claimed": ({"claimed_amount": "0"}, "claimed_amount"),
    "date does not exist": ({"received_on": "2025-02-30"}, "received_on"),
    "date month first": ({"received_on": "03/05/2025"}, "received_on"),
    "date in the future": ({"closed_on": FUTURE, "paid_on": FUTURE}, "closed_on"),
    "date too old": ({"received_on": "1999-12-31"}, "received_on"),
    "unknown region": ({"region_code": "229999"}, "region_code"),
    "region not a code": ({"region_code": "长春"}, "region_code"),
    "ID checksum": ({"worker_id_number": bad_check_digit(person_id())}, "worker_id_number"),
    "ID stored as a number": ({"worker_id_number": "2.20102198506150E+17"}, "worker_id_number"),
    "ID too short": ({"worker_id_number": "22010219850615"}, "worker_id_number"),
    "USCC checksum": ({"employer_uscc": bad_check_digit(EMPLOYER)}, "employer_uscc"),
    "USCC format": ({"employer_uscc": "ABC"}, "employer_uscc"),
    "channel": ({"channel": "仲裁"}, "channel"),
    "outcome": ({"outcome": "done"}, "outcome"),
    "claim kind": ({"claim_kind": "bonus"}, "claim_kind"),
    "worker name missing": ({"worker_name": ""}, "worker_name"),
    "employer name too long": ({"employer_name": "厂" * 121}, "employer_name"),
    "unknown venue": ({"venue": "没有这个调解室"}, "venue"),
    "agreed above claimed": ({"agreed_amount": "6000", "paid_amount": "0", "paid_on": ""}, "agreed_amount"),
    "paid above agreed": ({"paid_amount": "4500"}, "paid_amount"),
    "paid without date": ({"paid_on": ""}, "paid_on"),
    "date without payment": ({"paid_amount": ""}, "paid_amount"),
    "settled without agreed": ({"agreed_amount": "", "paid_amount": "", "paid_on": ""}, "agreed_amount"),
    "settled without closing date": ({"closed_on": ""}, "closed_on"),
    "failed with money": ({"outcome": "failed", "paid_amount": "", "paid_on": ""}, "agreed_amount"),
    "pending with closing date": ({"outcome": "pending", "agreed_amount": "", "paid_amount": "", "paid_on": ""},
                                  "closed_on"),
    "closed before received": ({"closed_on": "2025-03-01"}, "closed_on"),
    "paid before settlement": ({"paid_on": "2025-03-10"}, "paid_on"),
}


@pytest.mark.parametrize(("change", "column"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_cell_is_reported_and_nothing_is_written(importer, change, column):
    rows = ledger()
    rows[2] = {**rows[2], **change}  # row 4 of the file
    before = counts()
    report = run(importer, rows)
    assert (4, column) in problems(report) and report.imported == 0, problems(report)
    assert {r for r, _c in problems(report)} == {4}
    assert counts() == before


BAD_CASES = {
    "duplicated row": (lambda rows: rows + [dict(rows[0])], [(10, "")]),
    "another employer": (lambda rows: [rows[0], {**rows[1], "employer_uscc": credit_code()}],
                         [(3, "employer_uscc")]),
    "another employer name": (lambda rows: [rows[0], {**rows[1], "employer_name": "别的公司"}], [(3, "employer_name")]),
    "another acceptance date": (lambda rows: [rows[0], {**rows[1], "received_on": "2025-03-04"}],
                                [(3, "received_on")]),
    "another result": (lambda rows: [rows[0], {**rows[1], "outcome": "failed", "agreed_amount": "",
                                               "paid_amount": "", "paid_on": ""}], [(3, "outcome")]),
    "another channel": (lambda rows: [rows[0], {**rows[1], "channel": "hr"}], [(3, "channel")]),
    "another name for one ID": (lambda rows: [rows[0], {**rows[1], "worker_id_number": rows[0]["worker_id_number"],
                                                        "worker_name": "别名", "claim_kind": "severance"}],
                                [(3, "worker_name")]),
    "another phone for one ID": (lambda rows: [rows[0], {**rows[1], "worker_id_number": rows[0]["worker_id_number"],
                                                         "worker_name": rows[0]["worker_name"],
                                                         "worker_phone": "13999999999", "claim_kind": "severance"}],
                                 [(3, "worker_phone")]),
    "nothing agreed": (lambda rows: [{**r, "agreed_amount": "0", "paid_amount": "", "paid_on": ""} for r in rows[:4]],
                       [(2, "agreed_amount")]),
}


@pytest.mark.parametrize(("change", "expected"), BAD_CASES.values(), ids=BAD_CASES.keys())
def test_inconsistent_rows_of_one_case_are_reported_and_nothing_is_written(importer, change, expected):
    rows = change(ledger())
    before = counts()
    report = run(importer, rows)
    assert problems(report) == expected and report.imported == 0
    assert counts() == before


def test_every_problem_of_every_row_is_listed(importer):
    rows = ledger()
    rows[0] = {**rows[0], "claimed_amount": "x", "received_on": "2025-02-30"}
    rows[5] = {**rows[5], "region_code": "000000"}
    report = run(importer, rows)
    assert problems(report) == [(2, "claimed_amount"), (2, "received_on"), (7, "region_code")]
    assert "Unknown region." in english(report)


# --- a phone that fails validation: a warning, the case kept without it ---------------------------

def warnings_of(report) -> list[tuple]:  # noqa: ANN001
    return [(w.row, w.column) for w in report.warnings]


def english_warnings(report) -> str:  # noqa: ANN001
    with force_locale("en"):
        return " | ".join(str(w.message) for w in report.warnings)


@pytest.mark.parametrize("phone", ["12345", "1381234567x", "010-12345678", "+1 202 555 0143"])
def test_a_phone_that_fails_validation_is_a_warning_and_the_case_is_kept_without_it(importer, phone):
    rows = ledger()
    rows[4] = {**rows[4], "worker_phone": phone}  # row 6 of the file: the second case's one worker
    report = run(importer, rows)
    assert problems(report) == [] and report.imported == 5
    assert warnings_of(report) == [(6, "worker_phone")]
    said = english_warnings(report)
    assert "left empty" in said and ("mobile" in said or "not a phone number" in said), said
    worker = db.session.execute(select(Worker).where(Worker.id_number == rows[4]["worker_id_number"])).scalar_one()
    assert worker.phone in (None, "")
    others = db.session.scalars(select(Worker.phone).where(Worker.id_number != rows[4]["worker_id_number"])).all()
    assert set(others) == {"13812345678"}  # the valid phones are kept


def test_the_same_bad_phone_on_every_row_of_a_worker_is_reported_once_per_row(importer):
    rows = a_case(kinds=("wages", "overtime"), worker_phone="99")
    report = run(importer, rows)
    assert report.imported == 1 and warnings_of(report) == [(2, "worker_phone"), (3, "worker_phone")]


# --- a formula cell in an XLSX: "a formula, not a value", naming the cell -------------------------

def xlsx_with(rows: list[dict], cached: dict[str, str] | None = None) -> bytes:
    """An XLSX as a script writes it (a formula has no stored result), or with `cached` results
    {formula: value} as Excel and WPS store them."""
    import io
    import zipfile

    data = to_xlsx(rows, language="en", typed=False)
    if not cached:
        return data
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for formula, value in cached.items():
                    content = content.replace(f"<f>{formula}</f><v />".encode(),
                                              f"<f>{formula}</f><v>{value}</v>".encode())
            target.writestr(item, content)
    return out.getvalue()


def test_a_formula_without_a_stored_value_is_reported_as_a_formula_naming_the_cell(importer):
    rows = ledger()
    rows[2] = {**rows[2], "claimed_amount": "=SUM(2000,3000)"}  # row 4, column L (claimed_amount)
    rows[4] = {**rows[4], "paid_amount": "=N6"}  # row 6, column O: not a required column either
    report = run(importer, xlsx_with(rows), filename="ledger.xlsx")
    assert problems(report) == [(4, "claimed_amount"), (6, "paid_amount")] and report.imported == 0
    said = english(report)
    assert "L4" in said and "O6" in said and "formula" in said and "paste" in said.lower()
    assert "required" not in said


def test_a_formula_whose_result_excel_stored_is_read_as_that_value(importer):
    rows = ledger()
    rows[2] = {**rows[2], "claimed_amount": "=SUM(2000,2500)"}
    report = run(importer, xlsx_with(rows, cached={"SUM(2000,2500)": "4500"}), filename="ledger.xlsx")
    assert report.ok and report.imported == 5
    case = _case(rows[2]["case_ref"])  # four rows of 5,000.00 yuan, one of them the formula's 4,500.00
    assert case.claimed_fen == 3 * 500_000 + 450_000


def test_a_known_id_number_under_another_name_is_a_warning_and_the_row_is_kept(importer):
    run(importer, a_case("A"))
    known = db.session.scalars(select(Worker)).one()
    report = run(importer, [row(case_ref="B", worker_id_number=known.id_number, worker_name="另一个人")])
    assert problems(report) == [] and report.imported == 1
    assert [(p.row, p.column) for p in report.warnings] == [(2, "worker_name")]
    with force_locale("en"):
        assert known.name in str(report.warnings[0].message)  # a case in the importer's scope: named
    assert [w.name for w in _case("B").workers] == ["另一个人"] and known.name != "另一个人"


def test_a_credit_code_accepted_by_a_supervisor_imports(importer):
    code = bad_check_digit(EMPLOYER)
    db.session.add(Employer(uscc=code, name="试点企业", uscc_checksum_overridden=True))
    db.session.commit()
    assert run(importer, [row(employer_uscc=code)]).imported == 1


def test_an_id_number_typed_into_a_number_cell_is_explained(importer):
    rows = [row()]
    data = to_xlsx(rows, language="en")
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(data))
    workbook.active["I2"] = 220102198506150000  # what Excel keeps of an 18-digit number
    out = BytesIO()
    workbook.save(out)
    report = run(importer, out.getvalue(), filename="ledger.xlsx")
    assert problems(report) == [(2, "worker_id_number")] and "format the column as text" in english(report)


@pytest.mark.parametrize("how", ["bytes", "path"])
def test_a_50_mb_file_is_refused_for_its_size(importer, tmp_path, how):
    line = to_csv([row()]).split(b"\r\n")[1] + b"\r\n"
    data = to_csv([]) + line * (50 * 1024 * 1024 // len(line) + 1)
    assert len(data) > 50 * 1024 * 1024
    if how == "path":
        path = tmp_path / "big.csv"
        path.write_bytes(data)
        report = import_ledger(actor=importer, filename="", path=path)
        assert report.filename == "big.csv"
    else:
        report = import_ledger(actor=importer, filename="big.csv", file_bytes=data)
    assert problems(report) == [(None, "")] and "larger than 20 MB" in english(report)
    assert counts()["case_file"] == 0 and reader.MAX_FILE_BYTES == 20 * 1024 * 1024


@pytest.mark.parametrize("damage", ["truncated xlsx", "mixed encodings", "undecodable"])
def test_unreadable_files_are_reported_and_nothing_is_written(importer, damage):
    if damage == "truncated xlsx":
        data, name = to_xlsx(ledger())[:2000], "ledger.xlsx"
    elif damage == "mixed encodings":
        data, name = to_csv(ledger()[:2]) + to_csv(ledger()[2:], encoding="gbk").split(b"\r\n", 1)[1], "l.csv"
    else:
        data, name = to_csv(ledger(), encoding="gbk") + b"\xff\xff\xff\r\n", "l.csv"
    before = counts()
    report = run(importer, data, filename=name)
    assert problems(report) == [(None, "")] and report.imported == 0
    assert counts() == before


def test_payments_are_recorded_per_row(importer):
    rows = a_case("A", workers=2, kinds=("wages",), agreed_amount="3000", paid_amount="1500")
    run(importer, rows)
    assert sorted(db.session.scalars(select(Payment.amount_fen))) == [150_000, 150_000]
    assert _case("A").state == "settled"


def test_venues_are_found_by_name_in_the_importers_scope(importer):
    from tests.factories import make_venue

    changchun = make_venue("220100", name="法院调解工作室")
    make_venue("220200", name="法院调解工作室")  # the same name in Jilin City: the region tells them apart
    nanguan = make_venue("220102", name="南关区调解室")
    report = run(importer, [row(case_ref="A", venue="法院调解工作室"), row(case_ref="B", venue="南关区调解室"),
                            row(case_ref="C", venue="", worker_id_number=person_id()),
                            row(case_ref="C", venue="南关区调解室", worker_id_number=person_id())])
    assert report.ok, english(report)
    assert (_case("A").venue_id, _case("B").venue_id, _case("C").venue_id) == (changchun.id, nanguan.id, nanguan.id)


def test_venues_outside_the_scope_or_inactive_are_unknown(app):
    from tests.factories import make_venue

    make_venue("222400", name="延边调解室")
    closed = make_venue("220100", name="旧调解室")
    closed.active = False
    db.session.commit()
    changchun = make_user("supervisor", "220100")
    report = run(changchun, [row(case_ref="A", venue="延边调解室"), row(case_ref="B", venue="旧调解室")])
    assert problems(report) == [(2, "venue"), (3, "venue")] and counts()["case_file"] == 0


def test_a_referral_taken_in_through_the_system_is_not_imported_again(importer):
    from mediation.cases.intake import case_intake
    from tests.factories import intake_input

    case, _warnings = case_intake(actor=make_user("mediator", "220100"),
                                  data=intake_input(referral_ref="(2025)吉0102民初1号"))
    db.session.commit()
    report = run(importer, ledger())
    assert report.imported == 4 and report.existing == [("(2025)吉0102民初1号", case.number)]


def test_a_concurrent_write_of_the_same_case_is_a_conflict_with_nothing_written(importer, monkeypatch):
    from mediation.common.errors import Conflict
    from mediation.imports import records

    real = records.look_up

    def blind(cases, actor):  # noqa: ANN001, ANN202 - as if another import committed the case after the look-up
        found = real(cases, actor)
        found.cases.clear()
        return found

    run(importer, a_case("A"))
    monkeypatch.setattr("mediation.imports.services.look_up", blind)
    with pytest.raises(Conflict):
        import_ledger(actor=importer, filename="l.csv", file_bytes=to_csv(a_case("A") + a_case("B")))
    db.session.rollback()
    assert counts()["case_file"] == 1
