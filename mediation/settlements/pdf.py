"""The settlement agreement (调解协议书) as a PDF, made with ReportLab in an embedded CJK font.

The document is a Chinese legal text whatever the UI language, so its wording is fixed here
rather than translated. Tables are platypus LongTables with a repeated header row, so a
collective case of hundreds of workers breaks across pages cleanly.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import cn2an
from flask_babel import force_locale
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus.flowables import Flowable

from mediation.common import labels
from mediation.common.identity import mask_id_number
from mediation.common.money import format_yuan
from mediation.models import Case

# Debian's fonts-wqy-microhei (`make fonts`); Apache-2.0 or GPLv3 with the font exception.
FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT = "WQYMicroHei"

DEFAULT_TEXT = (
    "协议生效后，用人单位未按本协议约定的期限和数额履行给付义务的，劳动者可以依法向人民法院申请司法确认，"
    "或者就支付拖欠劳动报酬、工伤医疗费、经济补偿或者赔偿金事项依法向人民法院申请支付令；"
    "经司法确认的调解协议，一方拒绝履行的，劳动者可以向人民法院申请强制执行。"
)


@cache
def register_font(path: str = str(FONT_PATH)) -> str:
    """Register the CJK font once per process; ReportLab embeds the subset that is used."""
    if not Path(path).exists():
        raise FileNotFoundError(f"CJK font {path} is missing: run `make fonts` (Debian fonts-wqy-microhei)")
    pdfmetrics.registerFont(TTFont(FONT, path, subfontIndex=0))
    return FONT


def rmb_capitals(fen: int) -> str:
    """1200000 -> '人民币壹万贰仟元整' (from Decimal, never float)."""
    return "人民币" + cn2an.an2cn(str(Decimal(fen) / 100), "rmb")


def rmb_figures(fen: int) -> str:
    return f"¥{format_yuan(fen)}元"


@dataclass(frozen=True)
class Stamp:
    """What identifies this copy: printed in the footer and encoded in the QR code."""

    version: int
    verification_code: str
    verify_url: str
    issued_on: dt.date


def numbered_canvas(stamp: Stamp):
    """A canvas class that holds every page until the end, then writes "第 N 页 共 M 页"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(FONT, 8)
                self.setFillColor(colors.grey)
                self.drawCentredString(A4[0] / 2, 10 * mm, f"第 {self._pageNumber} 页 共 {total} 页")
                if stamp.verification_code:  # a verifiable document; the statistics report is not one
                    self.drawRightString(A4[0] - 18 * mm, 10 * mm, f"验证码 {stamp.verification_code}")
                super().showPage()
            super().save()

    return NumberedCanvas


class QrCode(Flowable):
    """The verification QR code with the code printed beside it."""

    def __init__(self, stamp: Stamp, size: float = 28 * mm) -> None:
        super().__init__()
        self.stamp, self.size = stamp, size
        self.width, self.height = 120 * mm, size

    def draw(self) -> None:
        widget = QrCodeWidget(self.stamp.verify_url)
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(self.size, self.size, transform=[self.size / (x1 - x0), 0, 0,
                                                           self.size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, self.canv, 0, 0)
        self.canv.setFont(FONT, 9)
        x = self.size + 4 * mm
        self.canv.drawString(x, self.size - 8 * mm, f"验证码：{self.stamp.verification_code}")
        issued = f"{self.stamp.issued_on:%Y年%m月%d日}"
        self.canv.drawString(x, self.size - 14 * mm, f"第 {self.stamp.version} 版，{issued}生成")
        self.canv.drawString(x, self.size - 20 * mm, f"核验网址：{self.stamp.verify_url}")


def styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=body, fontSize=20, leading=28, alignment=TA_CENTER),
        "number": ParagraphStyle("number", parent=body, alignment=TA_CENTER),
        "h": ParagraphStyle("h", parent=body, fontSize=12, leading=20, spaceBefore=8, spaceAfter=4),
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: names and summaries may hold '<' or '&', never markup."""
    return Paragraph(escape(text), style)


def grid_table(rows: list[list], widths: list[float]) -> LongTable:
    table = LongTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _story(case: Case, stamp: Stamp) -> list:
    s = styles()
    employer, venue = case.employer, case.venue
    workers = list(case.workers)
    story: list = [
        QrCode(stamp), Spacer(1, 4 * mm),
        para("劳动争议调解协议书", s["title"]),
        para(f"案号：{case.number}", s["number"]), Spacer(1, 4 * mm),
        para(f"调解组织：{venue.name if venue else case.region.name_zh}", s["body"]),
        para(f"调解地点：{(venue.address or venue.name) if venue else '—'}", s["body"]),
        para("一、当事人", s["h"]),
        para(f"申请人（劳动者）共 {len(workers)} 人：", s["body"]),
        grid_table([["序号", "姓名", "公民身份号码"]] + [
            [str(i), w.name, mask_id_number(w.id_number)] for i, w in enumerate(workers, 1)],
            [15 * mm, 50 * mm, 70 * mm]),
        Spacer(1, 2 * mm),
        para(f"被申请人（用人单位）：{employer.name}", s["body"]),
        para(f"统一社会信用代码：{employer.uscc}", s["body"]),
        para(f"法定代表人：{employer.legal_representative or '—'}", s["body"]),
    ]
    if employer.address:
        story.append(para(f"住所：{employer.address}", s["body"]))
    story += [
        para("二、争议事实概要", s["h"]),
        para(case.summary or "—", s["body"]),
        para("三、协议内容", s["h"]),
        para("经调解，双方自愿达成如下协议，被申请人向各申请人支付下列款项：", s["body"]),
    ]
    with force_locale("zh"):
        kinds = {kind: str(label) for kind, label in labels.CLAIM_KIND_LABELS.items()}
    rows: list[list] = [["序号", "劳动者", "约定事项及金额（元）", "合计（小写）", "合计（大写）"]]
    for i, worker in enumerate(workers, 1):
        items = case.claims_of(worker)
        total = sum(item.agreed_fen or 0 for item in items)
        lines = "<br/>".join(escape(f"{kinds.get(item.kind, item.kind)}：{format_yuan(item.agreed_fen or 0)}")
                             for item in items)
        rows.append([str(i), para(worker.name, s["cell"]), Paragraph(lines, s["cell"]),
                     format_yuan(total), para(rmb_capitals(total), s["cell"])])
    story.append(grid_table(rows, [12 * mm, 30 * mm, 50 * mm, 30 * mm, 52 * mm]))
    story += [
        Spacer(1, 2 * mm),
        para(f"以上款项合计 {rmb_figures(case.agreed_fen)}（大写：{rmb_capitals(case.agreed_fen)}）。", s["body"]),
        para("被申请人按下列期限和数额向各申请人支付上述款项：", s["body"]),
        grid_table([["劳动者", "期次", "支付期限", "金额（元）"]] + [
            [para(i.worker.name, s["cell"]), f"第 {i.seq} 期", f"{i.due_on:%Y年%m月%d日}前",
             format_yuan(i.amount_fen)]
            for i in case.installments], [40 * mm, 25 * mm, 45 * mm, 40 * mm]),
        para("四、不履行协议的后果", s["h"]),
        para(DEFAULT_TEXT, s["body"]),
        para("五、其他", s["h"]),
        para(f"本协议自双方当事人签名或盖章、调解员签名并加盖调解组织印章之日起生效。"
                  f"本协议一式 {len(workers) + 2} 份，当事人各执一份，调解组织留存一份。", s["body"]),
        para("六、签名盖章", s["h"]),
    ]
    signature_rows = [["申请人（签名）", "签名", "日期"]] + [[w.name, "", ""] for w in workers]
    story.append(grid_table(signature_rows, [50 * mm, 70 * mm, 50 * mm]))
    story.append(KeepTogether([
        Spacer(1, 6 * mm),
        para(f"被申请人（盖章）：{employer.name}", s["body"]),
        para("法定代表人或委托代理人（签名）：", s["body"]), Spacer(1, 8 * mm),
        para(f"调解员（签名）：{case.mediator.full_name if case.mediator else ''}", s["body"]), Spacer(1, 8 * mm),
        para("调解组织（印章）：", s["body"]), Spacer(1, 14 * mm),
        para(f"{(case.settled_on or stamp.issued_on):%Y年%m月%d日}", s["body"]),
    ]))
    return story


def build_pdf(story: list, title: str, stamp: Stamp) -> bytes:
    """An A4 document of `story` with page numbers and the verification code on every page."""
    register_font()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=18 * mm,
        title=title, author="劳动争议调解", creator="mediation", invariant=False)
    document.build(story, canvasmaker=numbered_canvas(stamp))
    return buffer.getvalue()


def agreement_pdf(case: Case, stamp: Stamp) -> bytes:
    """The agreement of a settled case as PDF bytes."""
    register_font()  # the story's styles name the font
    return build_pdf(_story(case, stamp), f"调解协议书 {case.number}", stamp)
