"""The statistics page as CSV and as an Excel workbook, with the same figures as the page.

Both start from one neutral description of the tables (a header block naming the region, the
period and the filters, then the region rows and their total, the months, the lawyers and the
venues), in the locale asked for. Amounts stay integer fen until the last step: yuan text with
two decimals in CSV, `Decimal(fen) / 100` numbers with a "#,##0.00" format in XLSX; never float.

Names of regions, lawyers and venues are typed by users: any text cell that a spreadsheet would
read as a formula is prefixed with an apostrophe (`safe_cell`).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mediation.common.labels import CHANNEL_LABELS, CLAIM_KIND_LABELS
from mediation.common.money import format_yuan
from mediation.common.spreadsheet import safe_cell
from mediation.extensions import db
from mediation.models import Venue
from mediation.stats.figures import AMOUNT_FIGURES, COUNT_FIGURES, FIGURE_LABELS, GLOSSARY, Figures
from mediation.stats.report import PersonRow, StatsReport

# The region table's figure columns, in the exports' order.
REGION_FIGURES = (*COUNT_FIGURES, "success_rate", *AMOUNT_FIGURES, "workers_paid", "median_days", "p90_days")
# The lawyer and venue tables' figure columns.
PERSON_FIGURES = ("received", "settled", "success_rate", "recovered", "median_days")
SHEETS = ("regions", "months", "lawyers", "venues", "glossary")
YUAN_FORMAT = "#,##0.00"
RATE_FORMAT = "0.0%"


def as_fen(value) -> int:  # noqa: ANN001
    """An amount as int fen, checked whole. The queries cast their sums to bigint, so this only
    guards the exports against a Decimal or float slipping in from elsewhere."""
    fen = int(value)
    if fen != value:
        raise ValueError(f"not a whole number of fen: {value!r}")
    return fen


@dataclass(frozen=True)
class Yuan:
    """An amount in fen, written as yuan by each format."""

    fen: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "fen", as_fen(self.fen))


@dataclass(frozen=True)
class Rate:
    """A ratio between 0 and 1 (None when there is nothing to divide), shown as a percentage."""

    value: float | None


def format_rate(value: float | None) -> str:
    """0.6667 -> '66.7%', as on the page; '' when there is no rate."""
    return "" if value is None else f"{value * 100:.1f}%"


@dataclass
class Table:
    sheet: str
    header: list[str]
    rows: list[list]
    total_rows: int = 0  # how many of the last rows are totals (shown in bold)


@dataclass
class Export:
    block: list[list]  # the header block: title, region, period, filters
    tables: list[Table]  # regions, months, lawyers, venues, glossary


def _cell(figures: Figures, name: str):  # noqa: ANN202
    value = figures.value(name)
    if name in AMOUNT_FIGURES:
        return Yuan(value)
    if name == "success_rate":
        return Rate(value)
    return value


def _label(name: str) -> str:
    label = str(FIGURE_LABELS[name])
    return _("%(label)s (yuan)", label=label) if name in AMOUNT_FIGURES else label


def _people(sheet: str, heading: str, people: list[PersonRow]) -> Table:
    return Table(sheet, [heading, *(_label(name) for name in PERSON_FIGURES)], [
        [person.name or _("Not assigned"), *(_cell(person.figures, name) for name in PERSON_FIGURES)]
        for person in people])


def describe(report: StatsReport, locale: str) -> Export:
    """The header block and the tables of `report`, their text in `locale`."""
    filters, region = report.filters, report.region
    with force_locale(locale):
        venue = db.session.get(Venue, filters.venue_id) if filters.venue_id is not None else None
        block = [
            [_("Recovery statistics")],
            [_("Region"), region.code, region.name(locale)],
            [_("Period"), filters.period.key, filters.period.start.isoformat(), filters.period.end.isoformat()],
            [_("Source"), str(CHANNEL_LABELS.get(filters.channel, filters.channel)) if filters.channel
             else _("All sources")],
            [_("Dispute kind"), str(CLAIM_KIND_LABELS.get(filters.kind, filters.kind)) if filters.kind
             else _("All kinds")],
            [_("Venue"), (venue.name if venue else str(filters.venue_id)) if filters.venue_id is not None
             else _("All venues")],
        ]
        region_rows = []
        for row in report.rows:
            name = row.region.name(locale)
            if row.own_level:
                name = _("%(region)s (filed at this level)", region=name)
            region_rows.append([row.region.code, name, *(_cell(row.figures, f) for f in REGION_FIGURES)])
        region_rows.append(["", _("Total"), *(_cell(report.total, f) for f in REGION_FIGURES)])
        tables = [
            Table("regions", [_("Region code"), _("Region"), *(_label(f) for f in REGION_FIGURES)], region_rows,
                  total_rows=1),
            Table("months", [_("Month"), _label("recovered")],
                  [[month, Yuan(fen)] for month, fen in sorted(report.months.items())]),
            _people("lawyers", _("Lawyer"), report.lawyers),
            _people("venues", _("Venue"), report.venues),
            Table("glossary", [_("Figure"), _("Definition")],
                  [[str(FIGURE_LABELS[f]), str(GLOSSARY[f])] for f in REGION_FIGURES]),
        ]
    return Export(block, tables)


# CSV ---------------------------------------------------------------------------------------------

def _csv_value(value) -> str:  # noqa: ANN001
    if value is None:
        return ""
    if isinstance(value, Yuan):
        return format_yuan(value.fen, grouping=False)
    if isinstance(value, Rate):
        return format_rate(value.value)
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)


def report_csv(report: StatsReport, locale: str) -> bytes:
    """UTF-8 with a BOM (so Excel in China reads it as UTF-8): the header block, then the region
    table with its total, the months, the lawyers and the venues, a blank line between each."""
    export = describe(report, locale)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([_csv_value(v) for v in row] for row in export.block)
    for table in export.tables:
        if table.sheet == "glossary":
            continue  # the glossary is a sheet of the workbook and a section of the PDF
        writer.writerow([])
        writer.writerow([_csv_value(v) for v in table.header])
        writer.writerows([_csv_value(v) for v in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


# XLSX --------------------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
BOLD = Font(bold=True)
MIN_WIDTH, MAX_WIDTH, MAX_HEADER_WIDTH = 8, 60, 16


def _text(value: str) -> str:
    """Neutralised, and without the control characters that XML (and so XLSX) cannot hold."""
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))


def _display_width(text: str) -> int:
    """Columns the text takes in a spreadsheet: CJK characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _put(sheet, row: int, column: int, value) -> int:  # noqa: ANN001
    """Write one value with its number format; return its display width."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Yuan):
        cell.value = Decimal(value.fen) / 100  # exact: Decimal division, never float
        cell.number_format = YUAN_FORMAT
        return len(format_yuan(value.fen)) + 1
    if isinstance(value, Rate):
        if value.value is not None:  # a display ratio of two counts, not money
            cell.value = value.value
            cell.number_format = RATE_FORMAT
        return 7
    if isinstance(value, str):
        cell.value = _text(value)
        return _display_width(cell.value)
    cell.value = value
    return len(str(value)) if value is not None else 0


def _write_table(sheet, table: Table, first_row: int, widths: dict[int, int]) -> None:  # noqa: ANN001
    for column, heading in enumerate(table.header, 1):
        cell = sheet.cell(row=first_row, column=column, value=_text(heading))
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths[column] = max(widths.get(column, 0), min(_display_width(heading), MAX_HEADER_WIDTH))
    for offset, values in enumerate(table.rows, 1):
        total = offset > len(table.rows) - table.total_rows
        for column, value in enumerate(values, 1):
            widths[column] = max(widths.get(column, 0), _put(sheet, first_row + offset, column, value))
            if total:
                sheet.cell(row=first_row + offset, column=column).font = BOLD
    if table.sheet == "glossary":
        for offset in range(1, len(table.rows) + 1):
            sheet.cell(row=first_row + offset, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    # the header row stays in view; on the region sheet, the code and name columns too
    sheet.freeze_panes = sheet.cell(row=first_row + 1, column=3 if table.sheet == "regions" else 1)


def report_xlsx(report: StatsReport, locale: str) -> bytes:
    """A workbook with one sheet per table (regions, with the header block above it, months,
    lawyers, venues) and a glossary sheet; frozen header rows, columns sized to their content."""
    export = describe(report, locale)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in export.tables:
        sheet = workbook.create_sheet(table.sheet)
        widths: dict[int, int] = {}
        first_row = 1
        if table.sheet == "regions":
            for index, values in enumerate(export.block, 1):
                for column, value in enumerate(values, 1):
                    width = _put(sheet, index, column, value)
                    if index > 1:  # the title runs over the empty cells beside it
                        widths[column] = max(widths.get(column, 0), width)
            sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
            first_row = len(export.block) + 2
        _write_table(sheet, table, first_row, widths)
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = max(MIN_WIDTH, min(width + 2, MAX_WIDTH))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
