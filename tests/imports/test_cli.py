"""`flask cases import PATH --user NAME [--skip-invalid]`: imports, or lists the errors and exits 1."""

from __future__ import annotations

from sqlalchemy import select

from mediation.extensions import db
from mediation.models import Case
from tests.factories import make_user
from tests.imports.conftest import counts, ledger, row, to_csv, to_xlsx


def _invoke(runner, path, *options: str):  # noqa: ANN001, ANN202
    return runner.invoke(args=["cases", "import", str(path), *options])


def test_imports_a_ledger(runner, importer, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(to_xlsx(ledger()))
    result = _invoke(runner, path, "--user", importer.username)
    assert result.exit_code == 0, result.output
    assert "5 cases imported from 台账.xlsx (8 rows)" in result.output
    assert counts()["case_file"] == 5
    again = _invoke(runner, path, "--user", importer.username)
    assert again.exit_code == 0 and "0 cases imported" in again.output and "5 already on record" in again.output
    assert counts()["case_file"] == 5


def test_errors_are_listed_with_row_and_column_and_nothing_is_written(runner, importer, tmp_path):
    rows = ledger()
    rows[1] = {**rows[1], "claimed_amount": "abc"}
    rows[6] = {**rows[6], "worker_id_number": "123"}
    path = tmp_path / "ledger.csv"
    path.write_bytes(to_csv(rows, encoding="gbk", language="zh"))
    before = counts()
    result = _invoke(runner, path, "--user", importer.username)
    assert result.exit_code == 1
    assert "row 3, claimed_amount (诉求金额):" in result.output
    assert "row 8, worker_id_number (身份证号):" in result.output
    assert "2 errors in ledger.csv; nothing was imported." in result.output
    assert counts() == before


def test_skip_invalid_imports_the_other_cases(runner, importer, tmp_path):
    rows = ledger()
    rows[4] = {**rows[4], "received_on": "昨天"}
    path = tmp_path / "ledger.csv"
    path.write_bytes(to_csv(rows))
    result = _invoke(runner, path, "--user", importer.username, "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert "row 6, received_on (received_on):" in result.output
    assert "4 cases imported" in result.output and "1 skipped for errors" in result.output
    assert "(2025)吉0102民初2号" not in set(db.session.scalars(select(Case.referral_ref)))


def test_a_50_mb_file_is_refused(runner, importer, tmp_path):
    path = tmp_path / "big.csv"
    line = to_csv([row()]).split(b"\r\n")[1] + b"\r\n"
    with path.open("wb") as out:
        out.write(to_csv([]))
        for _ in range(50 * 1024 * 1024 // (len(line) * 1000) + 1):
            out.write(line * 1000)
    result = _invoke(runner, path, "--user", importer.username)
    assert result.exit_code == 1 and "file: " in result.output and "20 MB" in result.output
    assert counts()["case_file"] == 0


def test_the_user_must_exist_and_may_import(runner, tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(to_csv(ledger()))
    assert _invoke(runner, path).exit_code == 2  # --user is required
    missing = _invoke(runner, path, "--user", "nobody")
    assert missing.exit_code == 1 and "No active user 'nobody'" in missing.output
    mediator = make_user("mediator", "220100")
    refused = _invoke(runner, path, "--user", mediator.username)
    assert refused.exit_code == 1 and counts()["case_file"] == 0


def test_a_bad_phone_is_listed_as_a_warning_and_its_case_imported(runner, importer, tmp_path):
    rows = ledger()
    rows[4] = {**rows[4], "worker_phone": "12345"}
    path = tmp_path / "ledger.csv"
    path.write_bytes(to_csv(rows, language="zh"))
    result = _invoke(runner, path, "--user", importer.username)
    assert result.exit_code == 0, result.output
    assert "row 6, worker_phone (联系电话): warning:" in result.output
    assert "5 cases imported" in result.output
