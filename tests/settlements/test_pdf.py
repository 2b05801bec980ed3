"""The agreement PDF read back: its text, amounts, embedded font, page numbers and layout."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from mediation.common.errors import NotPermitted, Refused
from mediation.common.identity import mask_id_number
from mediation.common.money import format_yuan
from mediation.extensions import db
from mediation.models import CaseDocument, CaseEvent
from mediation.settlements.pdf import rmb_capitals
from mediation.settlements.services import CODE_ALPHABET, agreement_generate
from tests.factories import make_user
from tests.settlements.conftest import pdf_pages

VERIFY = "http://localhost/verify"


def generate(case, actor=None):  # noqa: ANN001, ANN201
    document = agreement_generate(case=case, actor=actor or case.mediator, verify_url=VERIFY)
    db.session.commit()
    return document


@pytest.mark.parametrize(("fen", "words"), [
    (1200000, "人民币壹万贰仟元整"), (1200050, "人民币壹万贰仟元伍角"), (5, "人民币伍分"),
    (100000000, "人民币壹佰万元整"), (123456789, "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
])
def test_capitals(fen, words):
    assert rmb_capitals(fen) == words


def test_text_has_number_parties_and_amounts(make_case):
    case = make_case("scheduled", workers=3)
    document = generate(case)
    text = " ".join(pdf_pages(document.content))
    assert case.number in text
    for worker in case.workers:
        assert worker.name in text
        assert mask_id_number(worker.id_number) in text and worker.id_number not in text
    assert case.employer.uscc in text
    assert format_yuan(1200000) in text and "人民币壹万贰仟元整" in text  # each worker's total
    assert format_yuan(3600000) in text and "人民币叁万陆仟元整" in text  # the grand total
    wrapped = text.replace(" ", "")  # paragraphs wrap anywhere in CJK text
    assert "司法确认" in wrapped and "支付令" in wrapped and "强制执行" in wrapped
    for installment in case.installments:  # the payment schedule, per worker
        assert f"第1期{installment.due_on:%Y年%m月%d日}前{format_yuan(installment.amount_fen)}" in wrapped
    assert document.verification_code in text and f"{VERIFY}?code={document.verification_code}" in text
    assert len(document.verification_code) == 10 and set(document.verification_code) <= set(CODE_ALPHABET)


def test_font_is_embedded_as_a_subset(make_case):
    reader = PdfReader(io.BytesIO(generate(make_case("scheduled")).content))
    fonts = [font.get_object() for page in reader.pages
             for font in page["/Resources"]["/Font"].values()]
    cjk = [f for f in fonts if "WenQuanYiMicroHei" in str(f["/BaseFont"])]
    assert cjk
    for font in cjk:
        assert "+" in str(font["/BaseFont"])  # a subset: XXXXXX+Name
        descriptors = [d.get_object()["/FontDescriptor"].get_object()
                       for d in font.get("/DescendantFonts", [])] or [font["/FontDescriptor"].get_object()]
        assert all("/FontFile2" in d for d in descriptors)


def test_collective_case_of_200_breaks_with_repeated_headers(make_case):
    case = make_case("scheduled", workers=200)
    pages = pdf_pages(generate(case).content)
    assert len(pages) >= 5
    for number, text in enumerate(pages, 1):
        assert f"第 {number} 页 共 {len(pages)} 页" in text
        has_rows = re.search(r"工人\d+", text)
        if has_rows and number > 1:  # every page that continues a table starts with its header
            headers = ("序号 姓名 公民身份号码", "约定事项及金额", "劳动者 期次 支付期限", "申请人（签名）")
            assert any(header in text for header in headers), number
    joined = " ".join(pages)
    for header in ("公民身份号码", "约定事项及金额（元）"):
        assert sum(header in text for text in pages) >= 2  # both long tables spread over pages
    assert "工人200" in joined and format_yuan(200 * 1200000) in joined
    assert rmb_capitals(200 * 1200000) in joined


def test_page_one_renders_to_png(make_case, artifacts_dir, tmp_path):
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is missing in CI: `make fonts` installs poppler-utils")
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "agreement.pdf"
    source.write_bytes(generate(make_case("scheduled", workers=12)).content)
    target = artifacts_dir / "agreement-page1"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(source), str(target)],
                   check=True, timeout=60)
    png = target.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_new_version_supersedes_the_older(make_case):
    case = make_case("scheduled", workers=2)
    first, second = generate(case), generate(case)
    db.session.refresh(first)
    assert (first.version, second.version) == (1, 2)
    assert first.superseded and not second.superseded
    assert first.verification_code != second.verification_code and first.sha256 != second.sha256
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                        CaseEvent.action == "document")).all()
    assert [e.detail["version"] for e in events] == [1, 2]


@pytest.mark.parametrize("state", ["intake", "referred", "mediating", "failed"])
def test_refused_before_settlement_and_nothing_written(make_case, state):
    case = make_case(state)
    events_before = db.session.scalar(select(func.count()).select_from(CaseEvent))
    with pytest.raises(Refused) as refused:
        agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY)
    assert refused.value.status == 409
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(CaseDocument)) == 0
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == events_before


def test_a_supervisor_may_not_generate(make_case):
    case = make_case("scheduled")
    with pytest.raises(NotPermitted):
        agreement_generate(case=case, actor=make_user("supervisor", "220100"), verify_url=VERIFY)
