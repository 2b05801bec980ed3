"""Plumbing of the view tests: one app context per request (as under a real server), English
pages, users signed in on their own clients, form data builders and a small HTML reader."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from mediation.cases.intake import IntakeInput, WorkerInput, case_intake
from mediation.common.money import format_yuan
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Case, CaseEvent, ClaimItem, Employer, User, Worker
from tests.conftest import RequestScopedClient, english, login, sync  # noqa: F401 (imported from here by the tests)
from tests.factories import credit_code, make_venue, resident_id


@pytest.fixture(autouse=True)
def _request_scoped_clients(_request_scoped_clients):
    """The root fixture, autouse for the view tests and the folders that import it."""


@pytest.fixture
def client(app, _request_scoped_clients) -> FlaskClient:
    return english(app.test_client())


def reload_case(case: Case) -> Case:
    sync()
    return db.session.get(Case, case.id)


def row_counts() -> dict[str, int]:
    sync()
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Case, Worker, Employer, ClaimItem, CaseEvent)}


def events_of(case: Case) -> list[str]:
    sync()
    return list(db.session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id)
                                   .order_by(CaseEvent.id)))


def days_ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


# --- cases with chosen names and channel (the factory's names are fixed) -------------------

_references = itertools.count(1)


def intake_case(actor: User, *, region: str = "220102", channel: str = "court", employer: str = "长春测试机械有限公司",
                workers: tuple[str, ...] = ("工人甲",), employer_uscc: str | None = None) -> Case:
    case, _ = case_intake(actor=actor, data=IntakeInput(
        channel=channel, region_code=region, received_on=days_ago(10), employer_name=employer,
        employer_uscc=employer_uscc or credit_code(),
        workers=[WorkerInput(name=name, id_number=resident_id(), phone="13812345678",
                             claims={"wages": "5000.00"}) for name in workers],
        referral_ref=f"WEB-{next(_references)}" if channel != "walk_in" else ""))
    db.session.commit()
    return case


# --- form data ------------------------------------------------------------------------------

def intake_form(*, workers: int = 1, region: str = "220102", **overrides) -> dict[str, str]:
    """A complete, valid intake form as the browser posts it, one grid row per worker."""
    data = {
        "channel": "court", "referral_ref": f"(2026)吉0102民初{resident_id()}号",
        "received_on": days_ago(3).isoformat(), "region_code": region, "venue_id": "", "language": "zh",
        "employer_name": "长春表单测试有限公司", "employer_uscc": credit_code(),
        "employer_legal_representative": "王法人", "employer_address": "长春市南关区",
        "summary": "拖欠三个月工资",
    }
    for index in range(workers):
        data.update({
            f"workers-{index}-name": f"工人{index + 1}", f"workers-{index}-id_number": resident_id(),
            f"workers-{index}-phone": "13912345678", f"workers-{index}-wages": "8000.00",
        })
    data.update(overrides)
    return data


def yuan(fen: int) -> str:
    """Fen as a person types yuan: 1200050 -> '12000.50'."""
    return format_yuan(fen, grouping=False)


def bad_check_character(code: str) -> str:
    """The same code with a wrong last character, still well-formed."""
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def action_form(action: str, case: Case, *, venue_id: int | None = None, **overrides) -> dict:
    """A valid form for `action` on `case`, with the version the page would carry."""
    day = today().isoformat()
    data: dict[str, str] = {"version": str(case.version)}
    if action in ("assign", "refer"):
        data.update(venue_id=str(venue_id or case.venue_id or ""), lawyer_id=str(case.lawyer_id or ""),
                    note="转交法院工作室")
    elif action == "start_mediation":
        data.update(started_on=day)
    elif action == "session":
        data.update(held_on=day, outcome="continued", attendees="双方", notes="第一次调解")
    elif action == "extend":
        data.update(days="5", agreement="双方同意延长调解期")
    elif action == "settle":
        data.update(settled_on=day, note="达成协议")
        data.update({f"agreed-{item.id}": yuan(item.claimed_fen) for item in case.claims})
    elif action in ("fail", "withdraw", "reject", "decline"):
        data.update(reason="当事人意见")
    elif action == "schedule":
        data.update(on_date=(today() + dt.timedelta(days=1)).isoformat(), starts_at="09:00", ends_at="11:00",
                    override_reason="双方只能在这天到场")
    elif action == "payment":
        data.update(worker_id=str(case.workers[0].id), amount="100.00", paid_on=day, method="bank_transfer")
    elif action == "close":
        data.update(note="结案")
    elif action == "installments":
        for index, worker in enumerate(case.workers):
            data.update({f"rows-{index}-worker_id": str(worker.id), f"rows-{index}-due_on": day,
                         f"rows-{index}-amount": yuan(case.agreed_for(worker))})
    elif action == "sign":
        data.update(parties=[f"worker:{w.id}" for w in case.workers] + ["employer", "mediator", "seal"],
                    signed_on=day)
    elif action == "apply_confirmation":
        data.update(applied_on=day, court="长春市朝阳区人民法院")
    elif action in ("enforce", "enforcement_path"):
        data.update(kind="payment_order", applied_on=day, court="长春市朝阳区人民法院", court_case_no="")
    elif action == "enforcement_outcome":
        pending = [p for p in case.enforcement_paths if p.outcome == "pending"]
        data.update(path_id=str(pending[0].id) if pending else "", outcome="granted", outcome_on=day, note="裁定有效")
    elif action == "write_off":
        data.update(reason="用人单位无可供执行的财产")
    elif action == "correct_claims":  # every claim one yuan less (a change), and the reason
        data.update({f"claim-{item.worker_id}-{item.kind}": yuan(item.claimed_fen - 100) for item in case.claims},
                    reason="申请书金额笔误")
    elif action == "void_payment":
        data.update(payment_id=str(case.payments[0].id) if case.payments else "", reason="银行退票")
    elif action in ("cancel_session", "reschedule_session"):
        booked = [s for s in case.sessions if s.status == "scheduled"]
        data.update(session_id=str(booked[0].id) if booked else "", reason="当事人请假")
        if action == "reschedule_session":
            data.update(on_date=(today() + dt.timedelta(days=2)).isoformat(), starts_at="14:00", ends_at="15:00",
                        override_reason="双方只能在这天到场")
    elif action == "generate_agreement":  # confirmed with a reason, in case signatures lapse
        data.update(confirm="y", reason="条款调整")
    elif action == "correct_party":
        worker = case.workers[0]
        data.update(party=f"worker:{worker.id}", name=worker.name + "更正", address=worker.address,
                    reason="身份证上的姓名与登记不一致")
    else:  # a new action: give it a form here so the scoping and state tests post real data
        raise AssertionError(f"no test form for action {action!r}")
    data.update(overrides)
    return data


@pytest.fixture
def venue(app):
    return make_venue("220100")


# --- reading pages --------------------------------------------------------------------------

@dataclass
class Page:
    status: int
    text: str
    fields: dict[str, dict[str, str]] = field(default_factory=dict)  # form controls by name
    alerts: list[str] = field(default_factory=list)  # flashed messages
    feedback: list[str] = field(default_factory=list)  # error texts under fields
    enabled_actions: list[str] = field(default_factory=list)  # action buttons that can be clicked

    @property
    def invalid(self) -> set[str]:
        return {name for name, attrs in self.fields.items() if "is-invalid" in attrs.get("class", "").split()}

    def value(self, name: str) -> str:
        return self.fields[name].get("value", "")

    @property
    def case_numbers(self) -> list[str]:
        return re.findall(r'href="/cases/([0-9]{6}-[0-9]{4}-[0-9]+)"', self.text)

    @property
    def messages(self) -> str:
        return " | ".join(self.alerts + self.feedback)


class _Reader(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self._collect: list | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        attrs = {k: v or "" for k, v in attrs}
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            self.page.fields.setdefault(attrs["name"], attrs)
        if attrs.get("data-action") and tag in ("a", "button") and "disabled" not in attrs:
            self.page.enabled_actions.append(attrs["data-action"])
        classes = attrs.get("class", "").split()
        if self._collect is None and tag == "div" and (attrs.get("role") == "alert" or "invalid-feedback" in classes):
            self._collect = self.page.alerts if attrs.get("role") == "alert" else self.page.feedback
            self._collect.append("")
            self._depth = 0
        elif self._collect is not None and tag == "div":
            self._depth += 1

    def handle_endtag(self, tag):  # noqa: ANN001
        if self._collect is not None and tag == "div":
            if self._depth == 0:
                self._collect[-1] = self._collect[-1].strip()
                self._collect = None
            else:
                self._depth -= 1

    def handle_data(self, data):  # noqa: ANN001
        if self._collect is not None:
            self._collect[-1] += data


def page(response) -> Page:
    """The response read as a page: status, form fields, messages and action buttons."""
    assert response.status_code != 500, "a 500 is always a bug"
    result = Page(response.status_code, response.get_data(as_text=True))
    _Reader(result).feed(result.text)
    return result


def follow(client: FlaskClient, response) -> Page:
    """Follow one redirect (keeping the flashed messages) and read the page it leads to."""
    assert response.status_code in (302, 303), response.status_code
    return page(client.get(response.headers["Location"]))


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
_ACTION = re.compile(r'\baction="([^"]*)"')
_TOKEN = re.compile(r'name="submission_token" value="([^"]*)"')


def form_token(text: str, action: str | None = None) -> str:
    """The one-time submission token (mediation/web/submissions.py) that the page's form posting
    to `action` carries (None: the form posting to the page itself), as a browser would send it."""
    for attrs, body in _FORM.findall(text):
        found = _ACTION.search(attrs)
        if (html.unescape(found.group(1)) if found else None) == action and (token := _TOKEN.search(body)):
            return token.group(1)
    raise AssertionError(f"no form posting to {action or 'the page itself'} carries a token")
