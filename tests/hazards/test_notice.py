"""The labor-law supervision notice: its text read back from the PDF, its verification code on the
public /verify page, its refusals."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from mediation.common.errors import Conflict, ValidationFailed
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.hazards import services
from mediation.hazards.notices import notice_generate
from mediation.models import HazardNotice
from mediation.web.commit import abandon, commit
from tests.factories import VERIFY_URL, make_user
from tests.hazards.conftest import hazard_input


def text_of(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _hazard(**overrides):  # noqa: ANN003, ANN202
    actor = make_user("lawyer", "220100")
    hazard = services.hazard_record(actor=actor, data=hazard_input(**overrides))
    commit()
    return actor, hazard


def test_the_notice_names_the_hazard_the_law_and_the_deadline(app):
    actor, hazard = _hazard(kind="wage_arrears", employer_name="拖欠工资测试有限公司")
    reply_by = today() + dt.timedelta(days=15)
    notice = notice_generate(hazard=hazard, actor=actor, expected_version=hazard.version, reply_by=reply_by,
                             verify_url=VERIFY_URL)
    commit()
    text = text_of(notice.content).replace(" ", "").replace("\n", "")
    for words in ("工会劳动法律监督提示函", "拖欠工资测试有限公司", hazard.employer.uscc, "拖欠工资", "劳动合同法",
                  "第三十条", "第八十五条", "工资支付暂行规定", f"{reply_by:%Y年%m月%d日}", "35人",
                  "420,000.00", notice.verification_code):
        assert words in text, words


@pytest.mark.parametrize(("kind", "law"), [("social_insurance", "社会保险法"), ("mass_layoff", "第四十一条"),
                                           ("overtime", "劳动法"), ("closure", "第四十条")])
def test_each_kind_cites_its_own_law(app, kind, law):
    actor, hazard = _hazard(kind=kind)
    notice = notice_generate(hazard=hazard, actor=actor, expected_version=None,
                             reply_by=today() + dt.timedelta(days=7), verify_url=VERIFY_URL)
    text = text_of(notice.content).replace(" ", "").replace("\n", "")
    assert law in text and "第三十条" not in text


def test_the_code_resolves_on_verify_and_a_new_version_supersedes(app, client):
    actor, hazard = _hazard(employer_name="核验测试有限公司")
    first = notice_generate(hazard=hazard, actor=actor, expected_version=None,
                            reply_by=today() + dt.timedelta(days=7), verify_url=VERIFY_URL)
    commit()
    page = client.get(f"/verify?code={first.verification_code}").get_data(as_text=True)
    assert 'data-result="current"' in page and "核验测试有限公司" in page and 'data-kind="hazard_notice"' in page
    uploaded = client.post("/verify", data={"pdf": (io.BytesIO(first.content), "notice.pdf")},
                           content_type="multipart/form-data")
    assert 'data-result="current"' in uploaded.get_data(as_text=True)
    second = notice_generate(hazard=hazard, actor=actor, expected_version=None,
                             reply_by=today() + dt.timedelta(days=9), verify_url=VERIFY_URL)
    commit()
    assert second.version == 2
    page = client.get(f"/verify?code={first.verification_code}").get_data(as_text=True)
    assert 'data-result="superseded"' in page
    assert 'data-result="not_genuine"' in client.get("/verify?code=ZZZZZZZZZZ").get_data(as_text=True)


@pytest.mark.parametrize("days", [0, -1, 91])
def test_a_deadline_today_past_or_far_off_is_refused(app, days):
    actor, hazard = _hazard()
    with pytest.raises(ValidationFailed) as info:
        notice_generate(hazard=hazard, actor=actor, expected_version=None, reply_by=today() + dt.timedelta(days=days),
                        verify_url=VERIFY_URL)
    abandon()
    assert list(info.value.field_errors) == ["reply_by"]
    assert db.session.query(HazardNotice).count() == 0


def test_no_notice_for_a_closed_hazard(app):
    actor, hazard = _hazard()
    services.hazard_close(hazard=hazard, actor=actor, expected_version=None, outcome="resolved", closed_on=today())
    commit()
    with pytest.raises(Conflict):
        notice_generate(hazard=hazard, actor=actor, expected_version=None, reply_by=today() + dt.timedelta(days=5),
                        verify_url=VERIFY_URL)
    abandon()


def test_the_page_makes_and_serves_the_notice(app, signed_in):
    user, browser = signed_in("mediator")
    hazard = services.hazard_record(actor=user, data=hazard_input())
    commit()
    response = browser.post(f"/hazards/{hazard.id}/notice", data={
        "version": hazard.version, "reply_by": (today() + dt.timedelta(days=15)).isoformat()})
    assert response.status_code == 302
    pdf = browser.get(f"/hazards/{hazard.id}/notices/1.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    bad = browser.post(f"/hazards/{hazard.id}/notice", data={"version": hazard.version + 1, "reply_by": "soon"})
    assert bad.status_code == 400
    _reader, supervisor = signed_in("supervisor")
    assert supervisor.get(f"/hazards/{hazard.id}/notices/1.pdf").status_code == 200
    assert supervisor.get(f"/hazards/{hazard.id}/notices/2.pdf").status_code == 404
