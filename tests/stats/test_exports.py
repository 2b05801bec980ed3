"""The statistics exports read back: CSV (csv module), XLSX (openpyxl and its XML) and the PDF
report (pypdf): the same figures as the report, amounts exact to the fen, headers in the locale
asked for, and user-typed names that cannot act as spreadsheet formulas."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from decimal import Decimal

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from pypdf import PdfReader

from mediation.common.labels import CHANNEL_LABELS, CLAIM_KIND_LABELS
from mediation.common.money import format_yuan
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Region
from mediation.settlements.ledger import payment_record
from mediation.stats import period as periods
from mediation.stats.exports import (
    PERSON_FIGURES,
    REGION_FIGURES,
    SHEETS,
    Yuan,
    as_fen,
    report_csv,
    report_xlsx,
    safe_cell,
)
from mediation.stats.figures import AMOUNT_FIGURES, FIGURE_LABELS, GLOSSARY, StatsFilters
from mediation.stats.pdf import TITLE, period_zh, report_pdf
from mediation.stats.report import build
from tests.factories import make_user, make_venue
from tests.settlements.conftest import pdf_pages

EVIL_VENUE = '=HYPERLINK("http://evil.example/","点这里")'
EVIL_LAWYER = "+cmd|' /C calc'!A0"
ODD_PAYMENT_FEN = 123457  # 1,234.57 yuan: not a whole yuan, so a float slip would show


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+86 138", "'+86 138"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), (EVIL_VENUE, "'" + EVIL_VENUE),
    ("吉林省", "吉林省"), ("a=b", "a=b"), (" =1", " =1"), ("", ""), ("'=1", "'=1"),
    (12, 12), (None, None), (Decimal("-1.50"), Decimal("-1.50")),
])
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_amounts_from_either_database_become_int_fen():
    """SQLite sums to int, PostgreSQL to Decimal: both are whole fen, and nothing else is accepted."""
    assert as_fen(Decimal("3600000")) == 3600000 and type(as_fen(Decimal("3600000"))) is int
    assert type(Yuan(Decimal("123457")).fen) is int
    with pytest.raises(ValueError):
        as_fen(Decimal("1.5"))


@pytest.fixture
def report(app, make_case):
    """Cases in two prefectures: paid in full, partly paid (an odd amount), failed, in mediation,
    just received; the first at a venue and with a lawyer whose names look like formulas."""
    venue = make_venue("220100", name=EVIL_VENUE)
    lawyer = make_user("lawyer", "220100")
    lawyer.full_name = EVIL_LAWYER
    db.session.commit()
    make_case("closed", region="220102", workers=2, venue=venue, lawyer=lawyer)
    partly = make_case("effective", region="222401")
    payment_record(case=partly, actor=partly.mediator, expected_version=None, worker_id=partly.workers[0].id,
                   amount_fen=ODD_PAYMENT_FEN, paid_on=None, method="bank_transfer")
    db.session.commit()
    make_case("failed", region="220102")
    make_case("mediating", region="222401")
    make_case("intake", region="220202")
    return build(StatsFilters(period=periods.year(today().year), region="220000"), db.session.get(Region, "220000"))


def csv_sections(content: bytes) -> list[list[list[str]]]:
    """The CSV's blocks of rows, split at its blank lines."""
    sections: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")):
        if row:
            sections[-1].append(row)
        else:
            sections.append([])
    return sections


def expected_text(figures, name: str) -> str:  # noqa: ANN001
    value = figures.value(name)
    if name in AMOUNT_FIGURES:
        return format_yuan(int(value), grouping=False)  # int: PostgreSQL's sums are Decimal
    if name == "success_rate":
        return "" if value is None else f"{value * 100:.1f}%"
    return "" if value is None else str(value)


def test_csv_has_bom_header_block_and_the_report_figures(report):
    content = report_csv(report, "zh")
    assert content.startswith(codecs.BOM_UTF8) and not content.startswith(codecs.BOM_UTF8 * 2)
    block, regions, months, lawyers, venues = csv_sections(content)

    assert ["地区", "220000", "吉林省"] in block
    period = report.filters.period
    assert [period.key, period.start.isoformat(), period.end.isoformat()] in [row[1:] for row in block]

    header, *rows, total = regions
    assert header[1] == "地区"
    with force_locale("zh"):
        assert header[2:] == [str(FIGURE_LABELS[f]) if f not in AMOUNT_FIGURES
                              else f"{FIGURE_LABELS[f]}（元）" for f in REGION_FIGURES]
    assert [row[0] for row in rows] == [row.region.code for row in report.rows]
    assert [row[1] for row in rows] == [row.region.name_zh for row in report.rows]
    assert total[:2] == ["", "合计"]
    assert total[2:] == [expected_text(report.total, f) for f in REGION_FIGURES]
    for row, region_row in zip(rows, report.rows, strict=True):
        assert row[2:] == [expected_text(region_row.figures, f) for f in REGION_FIGURES]
    recovered = 2 + REGION_FIGURES.index("recovered")
    assert Decimal(total[recovered]) * 100 == report.total.amounts["recovered"] == 2400000 + ODD_PAYMENT_FEN
    assert sum(Decimal(row[recovered]) for row in rows) == Decimal(total[recovered])

    assert [row[0] for row in months[1:]] == period.months()
    assert [Decimal(row[1]) * 100 for row in months[1:]] == [report.months[m] for m in period.months()]

    for section, people in ((lawyers, report.lawyers), (venues, report.venues)):
        assert len(section) == 1 + len(people)
        for row, person in zip(section[1:], people, strict=True):
            assert row[1:] == [expected_text(person.figures, f) for f in PERSON_FIGURES]
    assert ["'" + EVIL_LAWYER] == [row[0] for row in lawyers if EVIL_LAWYER in row[0]]
    assert ["'" + EVIL_VENUE] == [row[0] for row in venues if EVIL_VENUE in row[0]]
    every_cell = [cell for section in csv_sections(content) for row in section for cell in row]
    assert not [cell for cell in every_cell if cell.startswith(("=", "+", "@", "\t", "\r"))]


def test_csv_headers_follow_the_locale(report):
    zh = csv_sections(report_csv(report, "zh"))[1][0]
    en = csv_sections(report_csv(report, "en"))[1][0]
    assert zh[1] == "地区" and en[1] == "Region"
    with force_locale("en"):
        assert en[2:] == [str(FIGURE_LABELS[f]) if f not in AMOUNT_FIGURES else f"{FIGURE_LABELS[f]} (yuan)"
                          for f in REGION_FIGURES]
    region_names = [row[1] for row in csv_sections(report_csv(report, "en"))[1][1:-1]]
    assert region_names == [row.region.name_en for row in report.rows]


def test_header_block_names_the_filters(report):
    venue = report.venues[0]
    assert venue.name == EVIL_VENUE
    filters = StatsFilters(period=periods.year(today().year), region="220000", channel="court", kind="wages",
                           venue_id=venue.id)
    narrowed = build(filters, report.region)
    block = csv_sections(report_csv(narrowed, "en"))[0]
    values = [row[1] for row in block[3:]]
    with force_locale("en"):
        assert values[:2] == [str(CHANNEL_LABELS["court"]), str(CLAIM_KIND_LABELS["wages"])]
    assert values[2] == "'" + EVIL_VENUE
    assert [row[1] for row in csv_sections(report_csv(report, "en"))[0][3:]] == [
        "All sources", "All kinds", "All venues"]


def regions_sheet_table(sheet):  # noqa: ANN001, ANN201
    """(header row number, header values) of the region table below the header block."""
    for row in sheet.iter_rows(min_row=1, max_row=20):
        if row[1].value in ("地区", "Region"):  # the block's region row has the label in column A
            return row[0].row, [c.value for c in row]
    raise AssertionError("no region table header")


def test_xlsx_sheets_exact_amounts_and_formats(report):
    content = report_xlsx(report, "zh")
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == list(SHEETS)

    sheet = workbook["regions"]
    header_row, header = regions_sheet_table(sheet)
    assert header[1] == "地区"
    assert sheet.freeze_panes == f"C{header_row + 1}"
    rows = list(sheet.iter_rows(min_row=header_row + 1, max_row=header_row + len(report.rows) + 1))
    assert [r[0].value for r in rows[:-1]] == [row.region.code for row in report.rows]
    total = rows[-1]
    assert total[1].value == "合计" and total[1].font.b
    for index, name in enumerate(REGION_FIGURES, 2):
        for cells, figures in [(total, report.total)] + [
                (r, row.figures) for r, row in zip(rows[:-1], report.rows, strict=True)]:
            cell, value = cells[index], figures.value(name)
            if name in AMOUNT_FIGURES:
                assert cell.data_type == "n" and cell.number_format == "#,##0.00"
                assert Decimal(str(cell.value)) == Decimal(value) / 100
            elif name == "success_rate":
                assert cell.value == value and (value is None or cell.number_format == "0.0%")
            else:
                assert cell.value == value
    recovered = total[2 + REGION_FIGURES.index("recovered")].value
    assert Decimal(str(recovered)) == Decimal("25234.57")

    months = workbook["months"]
    assert months.freeze_panes == "A2"
    month_rows = list(months.iter_rows(min_row=2, values_only=True))
    assert [m for m, _fen in month_rows] == sorted(report.months)
    assert [Decimal(str(v)) for _m, v in month_rows] == [Decimal(report.months[m]) / 100 for m in sorted(report.months)]
    assert all(months.cell(row=r, column=2).number_format == "#,##0.00" for r in range(2, months.max_row + 1))

    for name, people in (("lawyers", report.lawyers), ("venues", report.venues)):
        table = workbook[name]
        assert table.freeze_panes == "A2"
        assert table.max_row == 1 + len(people)
        for r, person in enumerate(people, 2):
            assert Decimal(str(table.cell(row=r, column=5).value)) == Decimal(person.figures.amounts["recovered"]) / 100
    assert workbook["venues"].cell(row=2, column=1).value == "'" + EVIL_VENUE  # the most recovered comes first
    assert "'" + EVIL_LAWYER in [c.value for c in workbook["lawyers"]["A"]]

    glossary = list(workbook["glossary"].iter_rows(min_row=2, values_only=True))
    with force_locale("zh"):
        assert glossary == [(str(FIGURE_LABELS[f]), str(GLOSSARY[f])) for f in REGION_FIGURES]

    # no formula anywhere in the file, and the columns were sized
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(r"<f[ >]", archive.read(name).decode())
    assert sheet.column_dimensions["B"].width >= 8
    assert workbook["glossary"].column_dimensions["B"].width == 60  # long definitions: capped, and wrapped


def test_pdf_report(report):
    content = report_pdf(report, "en")  # a Chinese document whatever the locale
    pages = pdf_pages(content)
    text = " ".join(pages)
    compact = text.replace(" ", "")  # CJK paragraphs wrap anywhere
    assert TITLE in compact and period_zh(report.filters.period) in compact
    with_figures = [row for row in report.rows if row.figures.counts.total() or any(row.figures.amounts.values())]
    assert {row.region.code for row in with_figures} == {"220100", "220200", "222400"}
    for row in with_figures:
        assert row.region.name_zh in compact
    assert report.total.amounts["recovered"] == 2400000 + ODD_PAYMENT_FEN
    assert format_yuan(int(report.total.amounts["recovered"])) in text  # "25,234.57"
    assert "人民币贰万伍仟贰佰叁拾肆元伍角柒分" in compact
    assert EVIL_VENUE.replace(" ", "") in compact and EVIL_LAWYER.replace(" ", "") in compact
    for number, page in enumerate(pages, 1):
        assert f"第 {number} 页 共 {len(pages)} 页" in page

    reader = PdfReader(io.BytesIO(content))
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    cjk = [f for f in fonts if "WenQuanYiMicroHei" in str(f["/BaseFont"])]
    assert cjk
    for font in cjk:
        assert "+" in str(font["/BaseFont"])  # an embedded subset: XXXXXX+Name
        descriptors = [d.get_object()["/FontDescriptor"].get_object()
                       for d in font.get("/DescendantFonts", [])] or [font["/FontDescriptor"].get_object()]
        assert all("/FontFile2" in d for d in descriptors)


def test_empty_region_and_long_period_still_export(app):
    """No case at all, over three years: zero totals, no rates, and every format still builds."""
    region = db.session.get(Region, "222400")
    empty = build(StatsFilters(period=periods.parse(f"{today().year - 2}-01-01..{today().year}-12-31"),
                               region="222400"), region)
    total = csv_sections(report_csv(empty, "zh"))[1][-1]
    assert total[2:] == ["0"] * 8 + [""] + ["0.00"] * 4 + ["0", "", ""]
    workbook = load_workbook(io.BytesIO(report_xlsx(empty, "zh")))
    assert workbook["lawyers"].max_row == 1 and workbook["months"].max_row == 1 + 36
    pages = pdf_pages(report_pdf(empty, "zh"))
    assert "第 1 页" in pages[0] and "延边朝鲜族自治州" in pages[0].replace(" ", "")


def test_the_report_pdf_footer_prints_no_verification_code_it_does_not_have(report):
    """The statistics report is not a verifiable document: its footer carries the page numbers
    only (it once printed "验证码 REPORT")."""
    pages = pdf_pages(report_pdf(report, "zh"))
    assert pages and all("验证码" not in page and "REPORT" not in page for page in pages)
