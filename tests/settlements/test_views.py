"""The settlement pages: generate and download (scoped like every case page), and the public
verification page (a code or the file; nothing personal shown; CSRF kept; uploads checked)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from mediation.extensions import db
from mediation.models import CaseDocument, CaseEvent
from tests.conftest import TEST_PASSWORD
from tests.settlements.conftest import pdf_pages
from tests.web.conftest import login, page, sync


def _generate(browser, case):  # noqa: ANN001, ANN202
    return browser.post(f"/cases/{case.number}/generate_agreement")


@pytest.fixture
def settled(make_case, signed_in):
    """A settled case with one generated agreement, and its mediator's client."""
    case = make_case("scheduled", workers=2)
    _user, browser = signed_in(user=case.mediator)
    response = _generate(browser, case)
    assert response.status_code == 302
    sync()
    document = db.session.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id)).one()
    return case, browser, document


def test_generate_download_and_list(settled):
    case, browser, document = settled
    detail = page(browser.get(f"/cases/{case.number}"))
    assert "generate_agreement" in detail.enabled_actions
    assert document.verification_code in detail.text and "documents-table" in detail.text
    response = browser.get(f"/cases/{case.number}/documents/1.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == document.content
    text = " ".join(pdf_pages(response.data))
    assert case.number in text and f"http://localhost/verify?code={document.verification_code}" in text
    assert browser.get(f"/cases/{case.number}/documents/2.pdf").status_code == 404


def test_no_button_before_settlement_and_409(make_case, signed_in):
    case = make_case("mediating")
    _user, browser = signed_in(user=case.mediator)
    assert "generate_agreement" not in page(browser.get(f"/cases/{case.number}")).enabled_actions
    events = db.session.scalar(select(func.count()).select_from(CaseEvent))
    assert _generate(browser, case).status_code == 409
    sync()
    assert db.session.scalar(select(func.count()).select_from(CaseDocument)) == 0
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == events


def test_scope_and_rights(settled, signed_in):
    case, _browser, _document = settled
    _outsider, outside = signed_in("mediator", "220200")  # another prefecture: the case does not exist
    assert outside.get(f"/cases/{case.number}/documents/1.pdf").status_code == 404
    assert _generate(outside, case).status_code == 404
    _lawyer, lawyer = signed_in("lawyer", "220100")  # in the region, not assigned to the case
    assert lawyer.get(f"/cases/{case.number}/documents/1.pdf").status_code == 403
    assert _generate(lawyer, case).status_code == 403
    _supervisor, supervisor = signed_in("supervisor", "220100")  # reviews: reads, never generates
    assert supervisor.get(f"/cases/{case.number}/documents/1.pdf").status_code == 200
    assert _generate(supervisor, case).status_code == 403
    assert "generate_agreement" not in page(supervisor.get(f"/cases/{case.number}")).enabled_actions
    _assigned, assigned = signed_in(user=case.lawyer)
    assert _generate(assigned, case).status_code == 302


def test_download_needs_sign_in(settled, new_client):
    case, _browser, _document = settled
    assert new_client().get(f"/cases/{case.number}/documents/1.pdf").status_code in (302, 401)


def _verdict(response) -> str:  # noqa: ANN001
    result = page(response)
    marker = 'id="verify-result" data-result="'
    return result.text.split(marker, 1)[1].split('"', 1)[0] if marker in result.text else ""


def test_verify_by_code_and_file_without_sign_in(settled, new_client):
    case, _browser, document = settled
    public = new_client()
    assert public.get("/verify").status_code == 200
    for code in (document.verification_code, " " + document.verification_code.lower() + " "):
        response = public.post("/verify", data={"code": code})
        assert response.status_code == 200 and _verdict(response) == "current"
    shown = page(public.get(f"/verify?code={document.verification_code}"))
    assert _verdict_text(shown) and case.number in shown.text
    upload = public.post("/verify", data={"pdf": (_file(document.content), "agreement.pdf")},
                         content_type="multipart/form-data")
    assert upload.status_code == 200 and _verdict(upload) == "current"
    # nothing personal: no names, no ID numbers, no employer, no amounts
    text = shown.text
    for worker in case.workers:
        assert worker.name not in text and worker.id_number[-4:] not in text.replace(document.verification_code, "")
    assert case.employer.name not in text and case.employer.uscc not in text and "12,000" not in text


def _verdict_text(result) -> bool:  # noqa: ANN001
    return 'data-result="current"' in result.text


def _file(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)


@pytest.mark.parametrize("tamper", ["flip", "append", "truncate"])
def test_verify_rejects_a_modified_file(settled, new_client, tamper):
    _case, _browser, document = settled
    content = bytearray(document.content)
    if tamper == "flip":
        content[len(content) // 2] ^= 0xFF
    elif tamper == "append":
        content += b"\n% edited\n"
    else:
        content = content[:-10]
    response = new_client().post("/verify", data={"pdf": (_file(bytes(content)), "agreement.pdf")},
                                 content_type="multipart/form-data")
    assert response.status_code == 200 and _verdict(response) == "not_genuine"


def test_verify_unknown_code_and_not_a_pdf(settled, new_client):
    public = new_client()
    response = public.post("/verify", data={"code": "ZZZZZZZZZZ"})
    assert response.status_code == 200 and _verdict(response) == "not_genuine"
    assert _verdict(public.get("/verify?code=NOPE")) == "not_genuine"
    fake = public.post("/verify", data={"pdf": (_file(b"GIF89a not a pdf"), "agreement.pdf")},
                       content_type="multipart/form-data")
    assert fake.status_code == 400 and "This file is not a PDF." in page(fake).messages
    assert public.post("/verify", data={"code": ""}).status_code == 400


def test_verify_shows_superseded(settled, signed_in, new_client):
    case, browser, first = settled
    assert _generate(browser, case).status_code == 302
    public = new_client()
    assert _verdict(public.post("/verify", data={"code": first.verification_code})) == "superseded"
    upload = public.post("/verify", data={"pdf": (_file(first.content), "agreement.pdf")},
                         content_type="multipart/form-data")
    assert _verdict(upload) == "superseded"
    sync()
    newest = db.session.scalars(select(CaseDocument).where(CaseDocument.version == 2)).one()
    assert _verdict(public.post("/verify", data={"code": newest.verification_code})) == "current"


def test_verify_upload_is_limited_in_size(app, new_client):
    big = b"%PDF-1.4\n" + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = new_client().post("/verify", data={"pdf": (_file(big), "big.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 413


def test_verify_keeps_csrf(make_app):
    browser = make_app(WTF_CSRF_ENABLED=True).test_client()
    assert browser.post("/verify", data={"code": "ABCDEFGHJK"}).status_code == 400
    token = page(browser.get("/verify")).value("csrf_token")
    assert token and browser.post("/verify", data={"code": "ABCDEFGHJK", "csrf_token": token}).status_code == 200


def test_generate_keeps_csrf(make_app, make_case):
    case = make_case("scheduled")
    browser = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = page(browser.get("/login")).value("csrf_token")
    assert login(browser, case.mediator).status_code == 400  # no token: refused, as everywhere
    browser.post("/login", data={"username": case.mediator.username, "password": TEST_PASSWORD, "csrf_token": token})
    assert _generate(browser, case).status_code == 400
    detail = page(browser.get(f"/cases/{case.number}"))
    assert browser.post(f"/cases/{case.number}/generate_agreement",
                        data={"csrf_token": detail.value("csrf_token")}).status_code == 302


@pytest.mark.real_commits  # the other edit is committed on a connection of its own
def test_two_generations_at_once_the_second_gets_a_conflict(app):
    """The case row changed under the second generation: Conflict, not a duplicate version."""
    from sqlalchemy import text

    from mediation.common.errors import Conflict
    from mediation.settlements.services import agreement_generate
    from tests.cases.test_concurrency import bump_version_elsewhere, end_transaction_keeping_loaded_rows
    from tests.factories import make_case

    case = make_case("scheduled", region="220102")
    mediator = case.mediator
    assert case.claims and case.workers and case.employer and case.venue  # loaded, as a request would
    end_transaction_keeping_loaded_rows()
    bump_version_elsewhere(case.id)  # another request commits a change first
    with pytest.raises(Conflict):
        agreement_generate(case=case, actor=mediator, verify_url="http://localhost/verify")
    db.session.rollback()
    assert db.session.execute(text("SELECT count(*) FROM case_document")).scalar_one() == 0


def test_verify_names_the_document_and_whether_the_agreement_took_effect(settled, new_client):
    from mediation.common.timeutil import today
    from mediation.settlements.signing import required_parties, signature_record
    from mediation.web.commit import commit

    case, _browser, document = settled
    public = new_client()
    draft = page(public.get(f"/verify?code={document.verification_code}"))
    assert 'data-kind="agreement"' in draft.text and "Settlement agreement" in draft.text
    assert 'data-effective="no"' in draft.text
    signature_record(case=case, actor=case.mediator, expected_version=None, parties=required_parties(case),
                     signed_on=today())
    commit()
    signed = page(public.get(f"/verify?code={document.verification_code}"))
    assert 'data-effective="yes"' in signed.text and f"In effect since {today().isoformat()}" in signed.text
