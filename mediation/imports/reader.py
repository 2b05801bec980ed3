"""Reading a case ledger, CSV or XLSX, into rows of text keyed by column name.

Clerks keep their ledgers in Excel or WPS. Saved as CSV in China that is GBK (Excel's "CSV"),
or UTF-8 with a byte-order mark ("CSV UTF-8"); other tools write UTF-8 without one. The
columns are found by name, English or Chinese, wherever they stand; a title row above the
header ("2024年劳动争议调解台账") is passed over; of a workbook, the first worksheet is read. Row
numbers are the ones Excel shows, so a clerk can find the row the report names.

Nothing here knows what a valid value is: cells come out as stripped text (XLSX numbers and
dates turned into the text a person would have typed), for validate.py to judge. An XLSX formula
is read as the result Excel or WPS stored with it; one with no stored result (a workbook written
by a script, never opened and saved) comes out as a FormulaCell naming its cell, so the report can
say "a formula, not a value" rather than "required".
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import lazy_gettext as _l

# A province's ledger of several years is a few MB; larger is a wrong file or an attack.
MAX_FILE_BYTES = 20 * 1024 * 1024
# An XLSX is compressed: 20 MB of it can unpack to millions of rows. Stop reading here.
MAX_ROWS = 200_000
# ...and openpyxl holds the shared strings in memory: refuse a workbook that unpacks to more
# (a ledger's XML is five to ten times its zip; a "zip bomb" is a thousand times).
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
# How far down to look for the header row, past title rows.
HEADER_SEARCH_ROWS = 10

# Field -> the names a header may carry (the Chinese ones as clerks write them).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "case_ref": ("案件编号",),
    "channel": ("来源",),
    "region_code": ("地区代码",),
    "venue": ("调解室",),
    "received_on": ("受理日期",),
    "employer_name": ("用人单位",),
    "employer_uscc": ("统一社会信用代码",),
    "worker_name": ("劳动者姓名",),
    "worker_id_number": ("身份证号",),
    "worker_phone": ("联系电话",),
    "claim_kind": ("诉求类型",),
    "claimed_amount": ("诉求金额",),
    "outcome": ("结果",),
    "agreed_amount": ("协议金额",),
    "paid_amount": ("已履行金额",),
    "paid_on": ("履行日期",),
    "closed_on": ("结案日期",),
}
# A file without these cannot be imported at all; the others may be missing (then empty).
REQUIRED_COLUMNS = ("case_ref", "channel", "region_code", "received_on", "employer_name", "employer_uscc",
                    "worker_name", "worker_id_number", "claim_kind", "claimed_amount", "outcome")

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls): openpyxl cannot read it


class LedgerUnreadable(ValueError):
    """The file as a whole cannot be read; the message says why, for the user."""


class FormulaCell(str):
    """An XLSX cell holding a formula with no stored result: its text is the formula ("=SUM(L2:L9)"),
    `coordinate` the cell as Excel names it ("L4")."""

    coordinate: str

    def __new__(cls, formula: str, coordinate: str) -> "FormulaCell":
        cell = super().__new__(cls, formula)
        cell.coordinate = coordinate
        return cell


@dataclass
class Ledger:
    file_format: str  # "XLSX", "CSV (UTF-8)", "CSV (GBK)" ...: shown in the report
    columns: dict[str, str]  # field -> the header as written in the file
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (row number, {field: text})
    ignored_columns: list[str] = field(default_factory=list)


def normalise_header(text: str) -> str:
    """'诉求金额（元）*' -> '诉求金额', ' Case Ref ' -> 'case_ref'."""
    text = unicodedata.normalize("NFKC", text).strip().strip("*").strip()
    text = re.sub(r"\([^)]*\)$", "", text).strip()  # a unit: (元), (yyyy-mm-dd)
    return re.sub(r"[\s\-]+", "_", text.lower())


_HEADER_NAMES = {normalise_header(name): key for key, aliases in COLUMN_ALIASES.items() for name in (key, *aliases)}


def read_ledger(*, data: bytes | None = None, path: str | Path | None = None, filename: str = "") -> Ledger:
    """Read the file (given as bytes or a path); raise LedgerUnreadable with the reason."""
    if path is not None:
        path = Path(path)
        if path.stat().st_size > MAX_FILE_BYTES:  # refused before reading it into memory
            raise too_large()
        data = path.read_bytes()
        filename = filename or path.name
    assert data is not None
    if len(data) > MAX_FILE_BYTES:
        raise too_large()
    if not data.strip():
        raise LedgerUnreadable(_l("The file is empty."))
    if data.startswith(XLS_MAGIC):
        raise LedgerUnreadable(_l("This is an old Excel 97-2003 (.xls) workbook: save it as .xlsx or CSV first."))
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        return _with_header("XLSX", _xlsx_rows(data))
    text, encoding = decode_csv(data)
    return _with_header(f"CSV ({encoding})", _csv_rows(text))


def too_large() -> LedgerUnreadable:
    return LedgerUnreadable(_l("The file is larger than %(mb)d MB, the size limit of an import: split it into "
                               "several files (by year or region).", mb=MAX_FILE_BYTES // (1024 * 1024)))


# --- CSV ------------------------------------------------------------------------------------

def _looks_utf8(line: bytes) -> bool:
    """A line that decodes as UTF-8 into Chinese text. A GBK line now and then decodes as UTF-8
    too (the famous 联通), but into Cyrillic or Latin letters, never into Chinese."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch < "\x80" or "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 with or without BOM, UTF-16 with BOM, else GBK (as GB18030)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise LedgerUnreadable(_l("The file is not readable text in any encoding we know.")) from None
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as error:
        if bom:  # it says UTF-8, so a bad byte is damage or a second encoding pasted in
            raise _mixed_or_bad(data, error.start) from None
    lines = data.split(b"\n")
    utf8_line = next((n for n, line in enumerate(lines, 1) if not line.isascii() and _looks_utf8(line)), None)
    if utf8_line is not None:
        other = next(n for n, line in enumerate(lines, 1) if not line.isascii() and not _looks_utf8(line))
        raise LedgerUnreadable(_l(
            "The file mixes two encodings: line %(utf8)d is UTF-8 but line %(other)d is not. Open it in Excel "
            "or WPS and save it again as one CSV file.", utf8=utf8_line, other=other))
    try:
        return data.decode("gb18030"), "GBK"
    except UnicodeDecodeError as error:
        raise _mixed_or_bad(data, error.start) from None


def _mixed_or_bad(data: bytes, offset: int) -> LedgerUnreadable:
    line = data.count(b"\n", 0, offset) + 1
    return LedgerUnreadable(_l(
        "Line %(line)d of the file is neither UTF-8 nor GBK text: the file is damaged or mixes encodings. "
        "Open it in Excel or WPS and save it again as CSV.", line=line))


def _csv_rows(text: str) -> Iterator[list[str]]:
    if "\x00" in text:
        raise LedgerUnreadable(_l("This is not a CSV text file. Upload the ledger as CSV or XLSX."))
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise LedgerUnreadable(_l("Line %(line)d of the file is not valid CSV.", line=reader.line_num)) from None


# --- XLSX -----------------------------------------------------------------------------------

def cell_text(value: object) -> str:
    """A cell as the text a person typed: whole numbers without '.0', dates as 2024-03-05.

    A number of more than 15 digits has lost its last digits in Excel (an ID number typed into
    a number cell): it comes out in E notation, which validate.py explains to the user.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**15 else f"{value:.15g}"
    if isinstance(value, float):
        if abs(value) >= 1e15:
            return f"{value:.15g}"
        return str(int(value)) if value.is_integer() else repr(value)  # repr: the shortest exact text
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _is_formula(value: object) -> bool:
    """openpyxl gives a formula as its text ("=..."), an array or data-table formula as an object.
    A text cell that starts with "=" is taken as one too: its stored value is itself, and is used."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    return (isinstance(value, str) and value.startswith("=")) or isinstance(value, ArrayFormula | DataTableFormula)


class _StoredResults:
    """The results stored with the formulas: the same sheet read again with data_only, opened at
    the first formula (most ledgers have none) and read in step with the formulas' own reading."""

    def __init__(self, data: bytes) -> None:
        import openpyxl

        self._workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        self._rows = iter(self._workbook.worksheets[0].iter_rows(values_only=True))
        self._number, self._row = 0, ()

    def at(self, number: int, column: int) -> object:
        while self._number < number:
            self._row, self._number = next(self._rows, ()), self._number + 1
        return self._row[column] if column < len(self._row) else None

    def close(self) -> None:
        self._workbook.close()


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    """The rows of the workbook's first worksheet."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    damaged = LedgerUnreadable(_l("The XLSX file is damaged or incomplete (perhaps cut short in the upload): "
                                  "open it in Excel or WPS, save it again and retry."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # zipfile reads no more than the sizes it declares
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise damaged from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise LedgerUnreadable(_l("The workbook unpacks to more than %(mb)d MB: split it into several files.",
                                  mb=MAX_UNPACKED_BYTES // (1024 * 1024)))
    try:  # formulas as formulas: which cells hold one is known only this way
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - a damaged zip raises from zipfile, zlib, XML parsers, openpyxl
        raise damaged from None
    results: _StoredResults | None = None
    try:
        if not workbook.worksheets:
            raise LedgerUnreadable(_l("The workbook has no worksheet."))
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            cells = []
            for column, value in enumerate(row):
                if _is_formula(value):
                    results = results or _StoredResults(data)
                    stored = results.at(number, column)
                    formula = str(getattr(value, "text", value))
                    value = stored if stored is not None else FormulaCell(
                        formula, f"{get_column_letter(column + 1)}{number}")
                cells.append(value if isinstance(value, FormulaCell) else cell_text(value))
            yield cells
    except LedgerUnreadable:
        raise
    except Exception:  # noqa: BLE001 - the same, found while reading the sheet itself
        raise damaged from None
    finally:
        workbook.close()
        if results is not None:
            results.close()


# --- the header and the rows ----------------------------------------------------------------

def _clean(text: str) -> str:
    text = text.strip()
    # A leading apostrophe is Excel's way to keep "220102..." as text, not part of the value.
    return text[1:].strip() if text.startswith("'") else text


def _cell(cells: list[str], index: int) -> str:
    if index >= len(cells):
        return ""
    return cells[index] if isinstance(cells[index], FormulaCell) else _clean(cells[index])


def _with_header(file_format: str, rows: Iterable[list[str]]) -> Ledger:
    iterator = iter(rows)
    header_number, positions, ledger = 0, {}, None
    for number, cells in enumerate(iterator, 1):
        found = {_HEADER_NAMES.get(normalise_header(cell)) for cell in cells} - {None}
        if len(found) >= 3:
            header_number, ledger, positions = number, Ledger(file_format, {}), _header(cells)
            ledger.columns = {key: cells[index].strip() for key, index in positions.items()}
            ledger.ignored_columns = [c.strip() for c in cells if c.strip() and _HEADER_NAMES.get(
                normalise_header(c)) is None]
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if ledger is None:
        names = "、".join(COLUMN_ALIASES[key][0] for key in REQUIRED_COLUMNS)
        raise LedgerUnreadable(_l("No header row found: the first rows do not name the ledger's columns "
                                  "(%(names)s, or their English names).", names=names))
    missing = [key for key in REQUIRED_COLUMNS if key not in positions]
    if missing:
        raise LedgerUnreadable(_l("Columns missing from the header: %(names)s.", names=", ".join(
            f"{COLUMN_ALIASES[key][0]} ({key})" for key in missing)))
    for number, cells in enumerate(iterator, header_number + 1):
        values = {key: _cell(cells, index) for key, index in positions.items()}
        if not any(values.values()):
            continue  # blank rows: Excel leaves them at the end, clerks between years
        if len(ledger.rows) >= MAX_ROWS:
            raise LedgerUnreadable(_l("The file has more than %(n)d rows: split it into several files.", n=MAX_ROWS))
        ledger.rows.append((number, values))
    if not ledger.rows:
        raise LedgerUnreadable(_l("The file has a header but no rows."))
    return ledger


def _header(cells: list[str]) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _HEADER_NAMES.get(normalise_header(cell))
        if key is None:
            continue
        if key in positions:
            raise LedgerUnreadable(_l("The column %(name)s appears twice in the header.", name=cell.strip()))
        positions[key] = index
    return positions
