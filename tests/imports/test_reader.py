"""Reading ledgers: encodings as Excel and WPS write them in China, Chinese and English headers,
XLSX cells, and files that cannot be read, each with a clear reason."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from mediation.imports import reader
from mediation.imports.reader import LedgerUnreadable, cell_text, read_ledger
from tests.imports.conftest import COLUMNS, ledger, row, to_csv, to_xlsx


def _unreadable(data: bytes, filename: str = "ledger.csv") -> str:
    with pytest.raises(LedgerUnreadable) as caught, force_locale("en"):
        read_ledger(data=data, filename=filename)
    with force_locale("en"):
        return str(caught.value.args[0])


@pytest.mark.parametrize(("encoding", "name"), [("utf-8", "CSV (UTF-8)"), ("utf-8-sig", "CSV (UTF-8)"),
                                                ("gbk", "CSV (GBK)"), ("utf-16", "CSV (UTF-16)")])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_csv_in_every_encoding_and_header_language_reads_the_same(app, encoding, name, language):
    rows = ledger()
    read = read_ledger(data=to_csv(rows, encoding=encoding, language=language), filename="台账.csv")
    assert read.file_format == name
    assert [values for _number, values in read.rows] == [{c: r[c] for c in COLUMNS} for r in rows]
    assert [number for number, _values in read.rows] == list(range(2, len(rows) + 2))  # as Excel numbers them


def test_headers_with_units_marks_and_a_title_row_are_found(app):
    text = ("2025年劳动争议调解台账,,\r\n"
            "序号, 案件编号* ,来源,地区代码,受理日期,用人单位,统一社会信用代码,劳动者姓名,身份证号,诉求类型,"
            "诉求金额（元）,结果,备注\r\n"
            "1,A-1,法院,220102,2025-03-03,某公司,X,张三,Y,工资,100,在办,无\r\n")
    read = read_ledger(data=text.encode("gbk"))
    assert read.columns["claimed_amount"] == "诉求金额（元）" and read.columns["case_ref"] == "案件编号*"
    assert read.ignored_columns == ["序号", "备注"]
    assert read.rows == [(3, {"case_ref": "A-1", "channel": "法院", "region_code": "220102",
                              "received_on": "2025-03-03", "employer_name": "某公司", "employer_uscc": "X",
                              "worker_name": "张三", "worker_id_number": "Y", "claim_kind": "工资",
                              "claimed_amount": "100", "outcome": "在办"})]


def test_blank_rows_are_skipped_and_row_numbers_kept(app):
    data = to_csv([row(case_ref="A"), {}, row(case_ref="B")])
    assert [(n, v["case_ref"]) for n, v in read_ledger(data=data).rows] == [(2, "A"), (4, "B")]


def test_tab_separated_text_is_read(app):
    data = "\t".join(COLUMNS).encode() + b"\n" + "\t".join(row().values()).encode()
    assert read_ledger(data=data).rows[0][1]["worker_name"] == "张三"


def test_xlsx_with_chinese_headers_title_row_and_typed_cells(app):
    rows = ledger()
    read = read_ledger(data=to_xlsx(rows, title="2025年调解台账"), filename="台账.xlsx")
    assert read.file_format == "XLSX"
    first = read.rows[0]
    assert first[0] == 3  # the title row is row 1, the header row 2
    assert first[1]["claimed_amount"] == "5000" and first[1]["received_on"] == "2025-03-03"
    assert first[1]["worker_phone"] == "13812345678"


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (12000.5, "12000.5"), (0.1, "0.1"), (5000.0, "5000"), (13812345678, "13812345678"),
    (220102198506150000, "2.2010219850615e+17"), (2.2010219850615e17, "2.2010219850615e+17"), (True, "TRUE")])
def test_xlsx_cells_become_the_text_a_person_typed(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(("data", "filename", "reason"), [
    (b"", "a.csv", "The file is empty."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls", ".xls"),
    (b"PK\x03\x04 not really a zip", "a.xlsx", "damaged or incomplete"),
    (b"name,age\r\nA,1\r\n", "a.csv", "No header row found"),
    (b"case_ref,channel,region_code\r\nA,court,220102\r\n", "a.csv", "Columns missing from the header"),
    ("案件编号,case_ref,来源,地区代码\r\n".encode(), "a.csv", "appears twice"),
    (to_csv([]), "a.csv", "no rows"),
    (b"case_ref,channel,region_code\x00\r\n", "a.csv", "not a CSV text file"),
], ids=["empty", "old xls", "not a zip", "no header", "missing columns", "duplicate column", "no rows", "binary"])
def test_unreadable_files_say_why(app, data, filename, reason):
    assert reason in _unreadable(data, filename)


def test_truncated_xlsx_is_a_clear_error(app):
    whole = to_xlsx(ledger())
    for cut in (len(whole) // 3, len(whole) - 200):
        assert "damaged or incomplete" in _unreadable(whole[:cut], "ledger.xlsx")


def test_xlsx_whose_sheet_is_damaged_inside_is_a_clear_error(app):
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(to_xlsx(ledger())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as damaged:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]  # the sheet's XML cut in the middle
            damaged.writestr(item, content)
    assert "damaged or incomplete" in _unreadable(out.getvalue(), "ledger.xlsx")


def test_mixed_encodings_are_refused_naming_the_lines(app):
    utf8 = to_csv([row(case_ref="甲")], encoding="utf-8")
    gbk_line = to_csv([row(case_ref="乙")], encoding="gbk").split(b"\r\n", 1)[1]
    reason = _unreadable(utf8 + gbk_line)
    assert "mixes two encodings" in reason and "line 2" in reason and "line 3" in reason


def test_a_bom_file_with_a_gbk_line_names_the_line(app):
    gbk_line = to_csv([row(worker_name="李四")], encoding="gbk").split(b"\r\n", 1)[1]
    data = to_csv([row()], encoding="utf-8-sig") + gbk_line
    assert "Line 3 of the file is neither UTF-8 nor GBK" in _unreadable(data)


def test_undecodable_bytes_are_refused(app):
    data = to_csv([row()], encoding="gbk") + b"\x81\x20\x81\x20,\r\n"
    assert "Line 3 of the file is neither UTF-8 nor GBK" in _unreadable(data)


def test_gbk_text_that_happens_to_be_valid_utf8_is_still_gbk(app):
    """小 in GBK (D0 A1) is valid UTF-8 too, for a Cyrillic letter: a line of such characters
    must not make a GBK file look "mixed"."""
    rows = [row(case_ref="A", employer_name="小", worker_name="小"), row(case_ref="B")]
    data = to_csv(rows, encoding="gbk")
    assert data.split(b"\r\n")[1].decode("utf-8")  # the first row alone passes for UTF-8
    read = read_ledger(data=data)
    assert read.file_format == "CSV (GBK)" and read.rows[0][1]["employer_name"] == "小"


def test_too_many_rows_are_refused(app, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    assert "more than 3 rows" in _unreadable(to_csv([row(case_ref=str(i)) for i in range(4)]))


def test_size_limit_is_checked_before_reading_a_path(app, tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_bytes(to_csv([row()]))
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(type(path), "read_bytes", lambda self: pytest.fail("a file over the limit was read"))
    with pytest.raises(LedgerUnreadable):
        read_ledger(path=path)


def test_a_workbook_that_unpacks_too_large_is_refused(app, monkeypatch):
    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 1000)
    assert "unpacks to more than" in _unreadable(to_xlsx(ledger()), "ledger.xlsx")
