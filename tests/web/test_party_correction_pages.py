"""Correcting a party's details through the case's pages: the form for the party the link names
(never a full ID number or phone), the correction in the case's history, masked, and bad input
refused on its field with nothing written."""

from __future__ import annotations

from mediation.settlements.services import agreement_generate
from tests.factories import VERIFY_URL, make_case, resident_id
from tests.web.conftest import events_of, follow, page, reload_case


def _url(case, party: str | None = None) -> str:  # noqa: ANN001
    return f"/cases/{case.number}/correct_party" + (f"?party={party}" if party else "")


def test_the_form_names_the_party_and_shows_no_full_number(signed_in):
    case = make_case("mediating", region="220102", workers=2)
    _user, browser = signed_in(user=case.mediator)
    worker = case.workers[1]
    shown = page(browser.get(_url(case, f"worker:{worker.id}")))
    assert shown.status == 200
    assert shown.value("party") == f"worker:{worker.id}" and shown.value("name") == worker.name
    assert shown.value("id_number") == "" and shown.value("phone") == ""
    assert worker.id_number not in shown.text and worker.phone not in shown.text
    assert "138****5678" in shown.text  # the current phone, masked
    employer = page(browser.get(_url(case, "employer")))
    assert employer.value("name") == case.employer.name and employer.value("uscc") == case.employer.uscc
    detail = browser.get(f"/cases/{case.number}").get_data(as_text=True)
    assert f'data-correct="worker:{worker.id}"' in detail and 'data-correct="employer"' in detail


def test_a_corrected_phone_is_in_the_history_masked(signed_in):
    case = make_case("mediating", region="220102")
    _user, browser = signed_in(user=case.mediator)
    worker = case.workers[0]
    response = browser.post(_url(case), data={
        "version": str(case.version), "party": f"worker:{worker.id}", "name": worker.name, "id_number": "",
        "phone": "139 0000 1111", "address": "", "reason": "工人更换了手机号"})
    assert response.status_code == 302
    assert "The correction has been recorded." in follow(browser, response).alerts
    case = reload_case(case)
    assert case.workers[0].phone == "13900001111" and events_of(case)[-1] == "correct_party"
    history = browser.get(f"/cases/{case.number}").get_data(as_text=True)
    history = history[history.index('id="history"'):]
    assert "138****5678 → 139****1111" in history and "工人更换了手机号" in history
    assert "13900001111" not in history and "13812345678" not in history


def test_bad_input_is_refused_on_its_field_and_nothing_is_written(signed_in):
    case = make_case("mediating", region="220102")
    _user, browser = signed_in(user=case.mediator)
    worker = case.workers[0]
    form = {"version": str(case.version), "party": f"worker:{worker.id}", "name": worker.name, "id_number": "",
            "phone": "", "address": "", "reason": "更正"}
    before = events_of(case)
    for change, field in (({"reason": ""}, "reason"), ({"id_number": resident_id()[:-1] + "Y"}, "id_number"),
                          ({"name": ""}, "name"), ({"name": "名" * 65}, "name"), ({"reason": "理" * 2001}, "reason")):
        refused = page(browser.post(_url(case), data={**form, **change}))
        assert refused.status == 400 and field in refused.invalid, (change, refused.messages)
    refused = page(browser.post(_url(case), data={**form, "party": "worker:999999", "name": "新名字"}))
    assert refused.status == 400 and "This case has no such party." in refused.text
    assert events_of(case) == before


def test_a_drafted_agreement_is_said_to_need_generating_again(signed_in):
    case = make_case("scheduled", region="220102")
    agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL)
    _user, browser = signed_in(user=case.mediator)
    response = browser.post(_url(case, "employer"), data={
        "version": str(reload_case(case).version), "party": "employer", "name": "更正后的名称有限公司",
        "uscc": case.employer.uscc, "legal_representative": "", "address": "", "reason": "营业执照上的名称"})
    assert response.status_code == 302
    alerts = follow(browser, response).alerts
    assert any("generate it again" in alert for alert in alerts), alerts


def test_a_supervisor_and_an_ended_case_have_no_correction(signed_in):
    case = make_case("closed", region="220102")
    _user, browser = signed_in(user=case.mediator)
    assert 'data-correct=' not in browser.get(f"/cases/{case.number}").get_data(as_text=True)
    _user, supervisor = signed_in("supervisor", "220100")
    open_case = make_case("mediating", region="220102")
    assert supervisor.get(_url(open_case)).status_code == 403
    assert 'data-correct=' not in supervisor.get(f"/cases/{open_case.number}").get_data(as_text=True)
