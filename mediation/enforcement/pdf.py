"""The application for judicial confirmation (司法确认申请书) of the mediation agreement.

The parties apply jointly to the people's court where the mediation organisation sits, within 30
days of the agreement taking effect, whether or not anything is overdue (Civil Procedure Law
art. 205, 2023 text). Like the agreement, the text is fixed Chinese whatever the UI language.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from mediation.common.identity import mask_id_number
from mediation.common.money import format_yuan
from mediation.models import Case, CaseDocument, EnforcementPath
from mediation.settlements.pdf import QrCode, Stamp, build_pdf, grid_table, para, register_font, rmb_capitals, styles


def _performance(case: Case) -> str:
    """How the rest stands: a confirmation is applied for whether or not anything is overdue."""
    if case.has_overdue_installment:
        return "，已有款项逾期未付"
    return "，其余款项尚未到约定的支付期限" if case.outstanding_fen else ""


def jc_application_pdf(case: Case, path: EnforcementPath, agreement: CaseDocument | None, stamp: Stamp) -> bytes:
    register_font()
    s = styles()
    employer, workers = case.employer, list(case.workers)
    court = path.court or "人民法院"
    effective = f"{case.agreement_effective_on:%Y年%m月%d日}" if case.agreement_effective_on else "—"
    organisation = case.venue.name if case.venue else case.region.name_zh
    story: list = [
        QrCode(stamp), Spacer(1, 4 * mm),
        para("司法确认申请书", s["title"]),
        para(f"调解案号：{case.number}", s["number"]), Spacer(1, 4 * mm),
        para("申请人（劳动者）：", s["h"]),
        grid_table([["序号", "姓名", "公民身份号码"]] + [
            [str(i), para(w.name, s["cell"]), mask_id_number(w.id_number)] for i, w in enumerate(workers, 1)],
            [15 * mm, 50 * mm, 70 * mm]),
        para("申请人（用人单位）：", s["h"]),
        para(f"{employer.name}，统一社会信用代码 {employer.uscc}，法定代表人 {employer.legal_representative or '—'}",
             s["body"]),
        para("请求事项", s["h"]),
        para(f"请求人民法院确认申请人于 {effective} 经{organisation}调解达成的劳动争议调解协议有效。", s["body"]),
        para("事实与理由", s["h"]),
        para(f"申请人之间因劳动报酬等事项发生劳动争议，经{organisation}主持调解，双方自愿达成调解协议，"
             f"约定用人单位向劳动者支付款项共计人民币 {format_yuan(case.agreed_fen)} 元"
             f"（{rmb_capitals(case.agreed_fen)}），并约定了支付期限。该协议经各方签名、盖章，于 {effective} 生效。"
             f"截至本申请提出之日，用人单位已支付 {format_yuan(case.paid_fen)} 元，"
             f"尚欠 {format_yuan(case.outstanding_fen)} 元{_performance(case)}。", s["body"]),
        para("该调解协议系双方真实意思表示，内容不违反法律、行政法规的强制性规定，不损害国家利益、"
             "社会公共利益和他人合法权益。申请人依照《中华人民共和国民事诉讼法》的规定，"
             "自调解协议生效之日起三十日内共同向人民法院提出司法确认申请。", s["body"]),
        para("申请人承诺：申请人出于解决纠纷的目的自愿达成协议，没有恶意串通、规避法律的行为；"
             "如因虚假调解给他人造成损失的，愿意承担相应的法律责任。", s["body"]),
        Spacer(1, 4 * mm),
        para("此致", s["body"]),
        para(court, s["body"]),
        para("附：调解协议书" + (f"（第 {agreement.version} 版，验证码 {agreement.verification_code}）"
                                 if agreement else ""), s["body"]),
        para("申请人（劳动者）签名：", s["h"]),
        grid_table([["劳动者", "签名", "日期"]] + [[para(w.name, s["cell"]), "", ""] for w in workers],
                   [50 * mm, 70 * mm, 50 * mm]),
        KeepTogether([
            Spacer(1, 6 * mm),
            para(f"申请人（用人单位盖章）：{employer.name}", s["body"]),
            para("法定代表人或委托代理人（签名）：", s["body"]), Spacer(1, 10 * mm),
            para(f"{path.applied_on:%Y年%m月%d日}", s["body"]),
        ]),
    ]
    return build_pdf(story, f"司法确认申请书 {case.number}", stamp)
