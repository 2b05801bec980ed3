"""The labor-law supervision notice (工会劳动法律监督提示函) to an employer, as a PDF.

Made like the settlement agreement (mediation/settlements/pdf.py: its font, page numbers, QR code
and verification code). A Chinese legal text whatever the UI language, so its wording is fixed
here. The law it cites is factual and generic per kind of hazard: the provisions an employer
with that hazard is reminded of, not a finding of a violation.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import force_locale
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from mediation.common.money import format_yuan
from mediation.models import Hazard, HazardKind, HazardSource
from mediation.settlements.pdf import QrCode, Stamp, build_pdf, para, register_font, styles

TITLE = "工会劳动法律监督提示函"

LAW = {
    HazardKind.WAGE_ARREARS: (
        "《中华人民共和国劳动合同法》第三十条规定，用人单位应当按照劳动合同约定和国家规定，向劳动者及时足额支付劳动报酬；"
        "第八十五条规定了未及时足额支付劳动报酬的法律责任。《工资支付暂行规定》第七条规定，工资必须在用人单位与劳动者"
        "约定的日期支付。"),
    HazardKind.SOCIAL_INSURANCE: (
        "《中华人民共和国社会保险法》第五十八条规定，用人单位应当自用工之日起三十日内为其职工向社会保险经办机构申请办理"
        "社会保险登记；第六十条规定，用人单位应当自行申报、按时足额缴纳社会保险费。"),
    HazardKind.MASS_LAYOFF: (
        "《中华人民共和国劳动合同法》第四十一条规定，需要裁减人员二十人以上或者裁减不足二十人但占企业职工总数百分之十"
        "以上的，用人单位应当提前三十日向工会或者全体职工说明情况，听取工会或者职工的意见后，裁减人员方案经向劳动行政"
        "部门报告，可以裁减人员；第四十六条、第四十七条规定了经济补偿。"),
    HazardKind.CLOSURE: (
        "《中华人民共和国劳动合同法》第四十条规定，劳动合同订立时所依据的客观情况发生重大变化，致使劳动合同无法履行的，"
        "用人单位应当与劳动者协商变更劳动合同内容；第四十六条、第四十七条规定了解除劳动合同时的经济补偿。拖欠的劳动报酬"
        "应当依法结清。"),
    HazardKind.OVERTIME: (
        "《中华人民共和国劳动法》第四十一条规定，用人单位由于生产经营需要，经与工会和劳动者协商后可以延长工作时间，"
        "一般每日不得超过一小时，因特殊原因需要延长的，每日不得超过三小时，每月不得超过三十六小时；第四十四条规定了"
        "延长工作时间的工资报酬。"),
    HazardKind.OTHER: "《中华人民共和国劳动法》《中华人民共和国劳动合同法》等法律法规对用人单位规定的义务。",
}

BASIS = ("根据《中华人民共和国工会法》和《中华人民共和国劳动法》关于工会依法维护职工合法权益、对用人单位遵守劳动法律"
         "法规的情况进行监督的规定，")


def notice_story(hazard: Hazard, stamp: Stamp, reply_by: dt.date) -> list:
    s = styles()
    with force_locale("zh"):
        kind, source = str(HazardKind(hazard.kind).label), str(HazardSource(hazard.source).label)
    union = f"{hazard.region.name_zh}总工会"
    facts = f"本会在{source}中发现，你单位存在{kind}方面的劳动关系风险隐患"
    facts += f"，涉及职工约 {hazard.workers_affected} 人"
    if hazard.amount_fen:
        facts += f"，涉及金额约 {format_yuan(hazard.amount_fen)} 元"
    facts += "。"
    story: list = [
        QrCode(stamp), Spacer(1, 4 * mm),
        para(TITLE, s["title"]),
        para(f"（{stamp.issued_on.year}）劳监提字第 {hazard.id}-{stamp.version} 号", s["number"]), Spacer(1, 6 * mm),
        para(f"{hazard.employer.name}：", s["body"]),
        para(f"统一社会信用代码：{hazard.employer.uscc}", s["body"]), Spacer(1, 2 * mm),
        para(BASIS + facts, s["body"]),
    ]
    if hazard.description:
        story.append(para(f"情况：{hazard.description}", s["body"]))
    story += [
        para("相关法律规定", s["h"]),
        para(LAW[HazardKind(hazard.kind)], s["body"]),
        para("提示事项", s["h"]),
        para("请你单位对照上述规定自查，依法及时整改，并于" + f"{reply_by:%Y年%m月%d日}"
             + "前将整改情况书面回复本会。逾期未回复或者未整改的，本会将依法提请劳动保障监察机构处理。", s["body"]),
        Spacer(1, 14 * mm),
        para(f"{union}（盖章）", s["body"]),
        para(f"{stamp.issued_on:%Y年%m月%d日}", s["body"]),
    ]
    return story


def notice_pdf(hazard: Hazard, stamp: Stamp, reply_by: dt.date) -> bytes:
    register_font()  # the story's styles name the font
    return build_pdf(notice_story(hazard, stamp, reply_by), f"{TITLE} {hazard.employer.name}", stamp)
