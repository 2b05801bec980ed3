"""The recovery statistics as a printed report (劳动争议调解追回工资统计报告), for any period.

Like the agreement, the report is a Chinese document whatever the UI language: its wording is
fixed here, regions use their Chinese names, and the figure names and definitions are read from
the catalogue in Chinese (the same definitions the page and the exports show). It reuses the
agreement's font, styles, tables and page numbering; a report has no QR code (nothing to verify).
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import force_locale
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from mediation.common.labels import CHANNEL_LABELS, CLAIM_KIND_LABELS
from mediation.common.money import format_yuan
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Venue
from mediation.settlements.pdf import (
    FONT,
    Stamp,
    build_pdf,
    grid_table,
    para,
    register_font,
    rmb_capitals,
    rmb_figures,
    styles,
)
from mediation.stats.exports import as_fen, format_rate
from mediation.stats.figures import AMOUNT_FIGURES, COUNT_FIGURES, FIGURE_LABELS, GLOSSARY, Figures
from mediation.stats.period import Period
from mediation.stats.report import PersonRow, StatsReport

TITLE = "劳动争议调解追回工资统计报告"
PAGE_WIDTH = 174 * mm  # A4 less the margins of build_pdf
BAR = colors.HexColor("#4a78b5")
TOTAL_FILL = colors.HexColor("#f2f2f2")
TIME_FIGURES = ("workers_paid", "median_days", "p90_days")


def period_zh(period: Period) -> str:
    """'2026年10月', '2026年第3季度', '2026年度' or '2026年01月05日至2026年02月20日'."""
    start = period.start
    if period.kind == "month":
        return f"{start.year}年{start.month}月"
    if period.kind == "quarter":
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if period.kind == "year":
        return f"{start.year}年度"
    return f"{start:%Y年%m月%d日}至{period.end:%Y年%m月%d日}"


def _days(value: int | None) -> str:
    return "—" if value is None else str(value)


def _shown(figures: Figures, name: str) -> str:
    value = figures.value(name)
    if name in AMOUNT_FIGURES:
        return format_yuan(as_fen(value))
    if name == "success_rate":
        return format_rate(value) or "—"
    if name in ("median_days", "p90_days"):
        return _days(value)
    return str(value)


def _numbers_right(table, first_column: int = 1, total_row: bool = True):  # noqa: ANN001, ANN202
    commands = [("ALIGN", (first_column, 1), (-1, -1), "RIGHT"), ("FONTSIZE", (0, 0), (-1, -1), 8)]
    if total_row:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL))
    table.setStyle(commands)
    return table


def _region_tables(report: StatsReport, labels: dict[str, str], cell: ParagraphStyle) -> list:
    names = [f"{row.region.name_zh}（本级）" if row.own_level else row.region.name_zh for row in report.rows]
    rows = [(name, row.figures) for name, row in zip(names, report.rows, strict=True)]
    rows.append(("合计", report.total))

    def table(figures: tuple[str, ...], widths: list[float]):  # noqa: ANN202
        header = [para("地区", cell)] + [para(labels[f] + ("（元）" if f in AMOUNT_FIGURES else ""), cell)
                                         for f in figures]
        body = [[para(name, cell)] + [_shown(f, name_) for name_ in figures] for name, f in rows]
        return _numbers_right(grid_table([header, *body], [34 * mm, *widths]))

    counts = (*COUNT_FIGURES, "success_rate")
    money = (*AMOUNT_FIGURES, *TIME_FIGURES)
    return [
        para("（一）案件数量", cell), Spacer(1, 1 * mm),
        table(counts, [(PAGE_WIDTH - 34 * mm) / len(counts)] * len(counts)), Spacer(1, 3 * mm),
        para("（二）金额与用时", cell), Spacer(1, 1 * mm),
        table(money, [25 * mm] * len(AMOUNT_FIGURES) + [(PAGE_WIDTH - 134 * mm) / len(TIME_FIGURES)] * 3),
    ]


def _yuan_for_drawing(fen: int) -> float:
    # Drawing only: ReportLab's charts scale floats. Every printed amount is format_yuan(fen).
    return float(Decimal(as_fen(fen)) / 100)


def _whole_yuan(value: float) -> str:
    return f"{value:,.0f}"


def _yuan_and_fen(value: float) -> str:
    return f"{value:,.2f}"


def _chart_frame(height: float, caption: str) -> Drawing:
    drawing = Drawing(PAGE_WIDTH, height)
    drawing.add(String(0, height - 10, caption, fontName=FONT, fontSize=8, fillColor=colors.grey))
    return drawing


def _style_axes(chart, values: list[float]) -> None:  # noqa: ANN001
    chart.valueAxis.valueMin = 0
    if not any(values):
        chart.valueAxis.valueMax = 10  # an empty chart still needs a scale
    # below ten yuan, whole yuan would label several ticks alike
    chart.valueAxis.labelTextFormat = _whole_yuan if max(values, default=0) >= 10 else _yuan_and_fen
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7


def bar_chart(names: list[str], fen: list[int]) -> Drawing:
    """Recovered amount per region, in yuan."""
    height = 85 * mm
    drawing = _chart_frame(height, "单位：元")
    chart = VerticalBarChart()
    chart.x, chart.y = 24 * mm, 24 * mm
    chart.width, chart.height = PAGE_WIDTH - chart.x - 4 * mm, height - chart.y - 8 * mm
    values = [_yuan_for_drawing(f) for f in fen]
    chart.data = [values]
    chart.categoryAxis.categoryNames = names
    _style_axes(chart, values)
    chart.categoryAxis.labels.angle = 35
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.categoryAxis.labels.dx, chart.categoryAxis.labels.dy = 4, -2
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing


def line_chart(months: list[str], fen: list[int]) -> Drawing:
    """Recovered amount per month, in yuan; with many months only some are labelled."""
    height = 70 * mm
    drawing = _chart_frame(height, "单位：元")
    chart = HorizontalLineChart()
    chart.x, chart.y = 24 * mm, 14 * mm
    chart.width, chart.height = PAGE_WIDTH - chart.x - 4 * mm, height - chart.y - 8 * mm
    values = [_yuan_for_drawing(f) for f in fen]
    chart.data = [values]
    step = max(1, -(-len(months) // 12))  # at most twelve labels
    chart.categoryAxis.categoryNames = [m if i % step == 0 else "" for i, m in enumerate(months)]
    _style_axes(chart, values)
    chart.lines[0].strokeColor = BAR
    chart.lines[0].strokeWidth = 1.5
    chart.lines[0].symbol = makeMarker("FilledCircle", size=3, fillColor=BAR)
    chart.joinedLines = 1
    drawing.add(chart)
    return drawing


def _people_table(heading: str, people: list[PersonRow], labels: dict[str, str], cell: ParagraphStyle):  # noqa: ANN202
    names = ("received", "settled", "success_rate", "recovered", "median_days")
    header = [para(heading, cell)] + [para(labels[n] + ("（元）" if n in AMOUNT_FIGURES else ""), cell)
                                      for n in names]
    body = [[para(p.name or "未指派", cell)] + [_shown(p.figures, n) for n in names] for p in people]
    if not body:
        return para("无。", cell)
    return _numbers_right(grid_table([header, *body], [54 * mm, 20 * mm, 20 * mm, 22 * mm, 32 * mm, 26 * mm]),
                          total_row=False)


def _story(report: StatsReport) -> list:
    s = styles()
    cell = ParagraphStyle("stats-cell", parent=s["cell"], fontSize=8, leading=10)
    filters, total = report.filters, report.total
    with force_locale("zh"):
        labels = {name: str(label) for name, label in FIGURE_LABELS.items()}
        glossary = [(labels[name], str(text)) for name, text in GLOSSARY.items()]
        channel = str(CHANNEL_LABELS.get(filters.channel, filters.channel)) if filters.channel else "全部"
        kind = str(CLAIM_KIND_LABELS.get(filters.kind, filters.kind)) if filters.kind else "全部"
    venue = "全部"
    if filters.venue_id is not None:
        found = db.session.get(Venue, filters.venue_id)
        venue = found.name if found else str(filters.venue_id)
    period = filters.period
    recovered = as_fen(total.amounts["recovered"])

    key_rows = [["指标", "数值", "指标", "数值"]]
    key_figures = ("received", "settled", "failed", "success_rate", "in_mediation", "overdue", "collective",
                   "closed", "claimed", "agreed", "recovered", "outstanding", "workers_paid", "median_days")
    for left, right in zip(key_figures[::2], key_figures[1::2], strict=True):
        key_rows.append([
            para(labels[left], cell), _shown(total, left) + (" 元" if left in AMOUNT_FIGURES else ""),
            para(labels[right], cell), _shown(total, right) + (" 元" if right in AMOUNT_FIGURES else "")])
    key_table = grid_table(key_rows, [48 * mm, 39 * mm, 48 * mm, 39 * mm])
    key_table.setStyle([("ALIGN", (1, 1), (1, -1), "RIGHT"), ("ALIGN", (3, 1), (3, -1), "RIGHT")])

    story: list = [
        para(TITLE, s["title"]),
        para(f"{report.region.name_zh} · {period_zh(period)}", s["number"]), Spacer(1, 4 * mm),
        para(f"统计地区：{report.region.name_zh}（{report.region.code}），含其下级地区", s["body"]),
        para(f"统计期间：{period.start:%Y年%m月%d日}至{period.end:%Y年%m月%d日}（{period.key}）", s["body"]),
        para(f"筛选条件：案件来源 {channel}；争议类型 {kind}；调解场所 {venue}", s["body"]),
        para(f"存量指标（调解中、超期）截至 {filters.as_of:%Y年%m月%d日}；报告生成于 {today():%Y年%m月%d日}。",
             s["body"]),
        para("一、主要指标", s["h"]),
        para(f"本期追回工资合计 {rmb_figures(recovered)}（大写：{rmb_capitals(recovered)}），"
             f"涉及劳动者 {total.workers_paid} 人次。", s["body"]),
        Spacer(1, 2 * mm), key_table,
        para("二、分地区统计", s["h"]),
        *_region_tables(report, labels, cell),
        KeepTogether([
            para("三、分地区追回金额", s["h"]),
            bar_chart([row.region.name_zh + ("（本级）" if row.own_level else "") for row in report.rows],
                      [row.figures.amounts["recovered"] for row in report.rows]),
        ]),
        KeepTogether([
            para("四、分月追回金额", s["h"]),
            line_chart(list(sorted(report.months)), [fen for _month, fen in sorted(report.months.items())]),
        ]),
        para("五、分律师统计", s["h"]),
        _people_table("律师", report.lawyers, labels, cell),
        para("六、分调解场所统计", s["h"]),
        _people_table("调解场所", report.venues, labels, cell),
        para("七、指标口径", s["h"]),
        grid_table([["指标", "口径"]] + [[para(label, cell), para(text, cell)] for label, text in glossary],
                   [40 * mm, PAGE_WIDTH - 40 * mm]),
        Spacer(1, 2 * mm),
        para("各地区数字包含其下级地区的全部案件；“本级”为直接登记在该地区的案件。案件来源、争议类型和调解场所"
             "的筛选只保留符合条件的案件；按争议类型筛选时，保留至少有一项该类请求的案件及其全部金额。", cell),
    ]
    return story


def report_pdf(report: StatsReport, locale: str) -> bytes:
    """The report as A4 PDF bytes, with "第 N 页 共 M 页" on every page; in Chinese whatever `locale`."""
    register_font()  # the story's styles name the font
    stamp = Stamp(version=1, verification_code="", verify_url="", issued_on=today())  # not verifiable: no code
    title = f"{TITLE} {report.region.name_zh} {report.filters.period.key}"
    return build_pdf(_story(report), title, stamp)
