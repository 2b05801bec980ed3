"""Spreadsheet exports cannot carry a formula, and uploads are size-limited, checked by their
content and never stored.

The exports are found in the URL map (every rule ending in .csv or .xlsx), so a new one is
checked here without touching this file. Text a user can type and that reaches an export (an
employer's name, a venue's, a lawyer's and a mediator's) is seeded with formulas; every text
cell of every export must then start with something a spreadsheet reads as plain text.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest
from werkzeug.datastructures import FileStorage

from mediation import create_app
from mediation.common.spreadsheet import FORMULA_TRIGGERS
from mediation.extensions import db
from mediation.stats import period as periods
from tests.conftest import base_config
from tests.factories import make_case, make_user, make_venue
from tests.imports.conftest import ledger, to_csv, to_xlsx
from tests.web.conftest import page

FORMULAS = {
    "employer": "=HYPERLINK(\"http://evil.example/\",\"点这里\")",
    "venue": "+cmd|' /C calc'!A0",
    "lawyer": "-2+3+cmd|' /C calc'!A0",
    "mediator": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def spreadsheet_endpoints() -> list[str]:
    app = create_app(base_config("sqlite://"))
    return sorted(rule.rule for rule in app.url_map.iter_rules() if re.search(r"\.(csv|xlsx)$", rule.rule))


def test_the_exports_are_found_in_the_url_map():
    assert {"/statistics.csv", "/statistics.xlsx", "/risk.csv"} <= set(spreadsheet_endpoints())


def _text_cells(response) -> list[str]:  # noqa: ANN001
    body = response.get_data()
    if response.mimetype == "text/csv":
        return [cell for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for cell in row]
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    return [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows()
            for cell in row if isinstance(cell.value, str)]


@pytest.fixture
def poisoned(app):
    """A closed case whose every user-typed name that reaches an export is a formula."""
    venue = make_venue("220100", name=FORMULAS["venue"])
    lawyer, mediator = make_user("lawyer", "220100"), make_user("mediator", "220100")
    lawyer.full_name, mediator.full_name = FORMULAS["lawyer"], FORMULAS["mediator"]
    db.session.commit()
    case = make_case("closed", region="220102", venue=venue, lawyer=lawyer, mediator=mediator)
    case.employer_name = case.employer_master.name = FORMULAS["employer"]  # the case's own and the master
    db.session.commit()
    return case


@pytest.mark.parametrize("endpoint", spreadsheet_endpoints())
def test_no_cell_of_any_export_can_run_as_a_formula(poisoned, signed_in, endpoint):
    _user, browser = signed_in("admin", "220000")
    received = poisoned.received_on
    query = {"region": "220000", "period": periods.containing("year", received).key}
    if endpoint.startswith("/risk"):
        query = {"kind": "quarter", "period": periods.containing("quarter", received).key}
    response = browser.get(endpoint, query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]

    cells = _text_cells(response)
    unsafe = [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
    assert unsafe == []
    # not vacuous: the poisoned names are in the export, made plain text by a leading quote
    neutralised = {cell[1:] for cell in cells if cell.startswith("'")}
    assert neutralised & set(FORMULAS.values()), f"no seeded formula reached {endpoint}"


# --- uploads ------------------------------------------------------------------------------------

UPLOADS = {"/import": "ledger", "/verify": "pdf"}  # every form with a file field (checked below)


def test_every_file_field_of_the_app_is_covered_here():
    """A new upload must be added to UPLOADS (and so to the tests below)."""
    sources = Path(__file__).resolve().parents[2] / "mediation"
    declared = {name for path in sources.rglob("*.py")
                for name in re.findall(r"^\s+(\w+) = FileField\(", path.read_text(), re.MULTILINE)}
    assert declared == set(UPLOADS.values())


@pytest.fixture
def uploader(signed_in):
    _user, browser = signed_in("supervisor", "220000")
    return browser


def _post(browser, url: str, data: bytes, filename: str):  # noqa: ANN001, ANN202
    return browser.post(url, data={UPLOADS[url]: (io.BytesIO(data), filename)}, content_type="multipart/form-data",
                        headers={"Accept-Language": "en"})


@pytest.mark.parametrize("url, filename, content, message", [
    ("/import", "ledger.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
     "neither UTF-8 nor GBK"),
    ("/import", "ledger.csv", b"case_ref,channel\x00,region_code\n1,court,220102\n", "This is not a CSV text file."),
    ("/import", "ledger.xlsx", "案件编号,来源\n1,court\n".encode(), "damaged or incomplete"),
    ("/import", "ledger.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Excel 97-2003"),
    ("/import", "ledger.exe", b"MZ\x90\x00", "The ledger must be a CSV or XLSX file."),
    ("/verify", "agreement.pdf", b"<html><script>alert(1)</script></html>", "This file is not a PDF."),
])
def test_an_upload_is_judged_by_its_content_not_its_name(uploader, url, filename, content, message):
    shown = page(_post(uploader, url, content, filename))
    assert shown.status == 400 and message in shown.text


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_read(uploader, monkeypatch):
    from mediation.imports import reader

    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 10_000)  # a real zip bomb would be slow to build
    shown = page(_post(uploader, "/import", to_xlsx(ledger()), "ledger.xlsx"))
    assert shown.status == 400 and "unpacks to more than" in shown.text


@pytest.mark.parametrize("url, limit", [("/import", "import"), ("/verify", "app")])
def test_uploads_over_their_size_limit_get_413_with_a_reason(app, uploader, url, limit):
    from mediation.imports import reader

    size = (reader.MAX_FILE_BYTES if limit == "import" else app.config["MAX_CONTENT_LENGTH"]) + 256 * 1024
    response = _post(uploader, url, b"%PDF-1.4\n" + b"0" * size, "big.pdf" if url == "/verify" else "big.csv")
    assert response.status_code == 413
    assert "Traceback" not in response.get_data(as_text=True)


def _files_under(*folders: str) -> set[tuple[str, int]]:
    return {(str(path), path.stat().st_mtime_ns) for folder in folders if Path(folder).exists()
            for path in Path(folder).rglob("*") if path.is_file()}


def test_uploads_are_never_written_to_disk(app, uploader, monkeypatch):
    """They are read in memory and dropped: nothing is saved, under the static folder or anywhere
    else, so there is no stored name to guess and nothing for the web server to serve."""
    saved: list[str] = []
    monkeypatch.setattr(FileStorage, "save", lambda self, *args, **kwargs: saved.append(self.filename))
    before = _files_under(app.static_folder, app.instance_path)

    assert _post(uploader, "/import", to_csv(ledger()), "ledger.csv").status_code == 200
    assert _post(uploader, "/import", to_xlsx(ledger()), "../../static/x.xlsx").status_code == 200
    assert _post(uploader, "/verify", b"%PDF-1.4\n%%EOF\n", "../../static/evil.pdf").status_code in (200, 400)

    assert saved == []
    assert _files_under(app.static_folder, app.instance_path) == before

