"""An employer's master record (issue 15 §1): changed only by an explicit action of a supervisor or
an administrator, with a reason, in the audit log; never any case's own record of the employer."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mediation.admin.services import employer_master_in_scope, employer_master_update
from mediation.common.errors import NotPermitted, ValidationFailed
from mediation.extensions import db
from mediation.models import AuditEntry, Case, Employer
from mediation.web.commit import commit
from tests.cases.unchanged import nothing_written
from tests.factories import make_case, make_user
from tests.web.conftest import follow, page


def _audit() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


@pytest.fixture
def case(app):
    return make_case("effective", region="220102")


def test_a_supervisor_changes_the_master_and_no_case_changes(case):
    supervisor = make_user("supervisor", "220100")
    master = case.employer_master
    changed = employer_master_update(actor=supervisor, employer=master, name="长春更名机械有限公司",
                                     legal_representative="李四", address="长春市南关区", reason="工商变更登记")
    commit()
    assert changed == {"name": ["长春测试机械有限公司", "长春更名机械有限公司"], "legal_representative": ["", "李四"],
                       "address": ["", "长春市南关区"]}
    db.session.expire_all()
    assert db.session.get(Employer, master.id).name == "长春更名机械有限公司"
    case = db.session.get(Case, case.id)
    assert (case.employer.name, case.employer.legal_representative) == ("长春测试机械有限公司", "")
    (entry,) = _audit()[-1:]
    assert (entry.action, entry.actor_id, entry.target_kind, entry.target_id) == (
        "employer.update", supervisor.id, "employer", master.id)
    assert entry.detail["reason"] == "工商变更登记" and entry.detail["changes"]["name"][1] == "长春更名机械有限公司"


def test_another_region_and_other_roles_may_not(case):
    master = case.employer_master
    yanbian = make_user("supervisor", "222400")
    assert employer_master_in_scope(yanbian, master.uscc) is None
    assert employer_master_in_scope(make_user("admin", "220000"), master.uscc) is master
    for actor in (yanbian, make_user("mediator", "220100"), make_user("lawyer", "220100")):  # made before the block
        with nothing_written(NotPermitted, also=_audit):
            employer_master_update(actor=actor, employer=master, name="改名", legal_representative="",
                                   address="", reason="理由")


@pytest.mark.parametrize("values, field", [
    ({"name": ""}, "name"), ({"name": "  "}, "name"), ({"name": "公" * 121}, "name"), ({"name": None}, "name"),
    ({"legal_representative": "人" * 65}, "legal_representative"), ({"address": "址" * 201}, "address"),
    ({"reason": ""}, "reason"), ({"reason": "理" * 501}, "reason"),
])
def test_bad_input_is_refused_naming_the_field(case, values, field):
    arguments = {"name": "改名", "legal_representative": "", "address": "", "reason": "理由", **values}
    supervisor = make_user("supervisor", "220100")
    with nothing_written(ValidationFailed, field=field, also=lambda: (_audit(), case.employer_master.name)):
        employer_master_update(actor=supervisor, employer=case.employer_master, **arguments)


def test_nothing_to_change_is_said(case):
    master, admin = case.employer_master, make_user("admin", "220100")
    with nothing_written(ValidationFailed, also=_audit):
        employer_master_update(actor=admin, employer=master, name=master.name,
                               legal_representative=master.legal_representative, address=master.address,
                               reason="核对")


def test_the_page_finds_the_record_by_code_and_changes_it(case, signed_in):
    _user, browser = signed_in("supervisor", "220100")
    uscc = case.employer.uscc
    found = browser.get("/admin/employers", query_string={"uscc": uscc.lower()})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/admin/employers/{uscc}")
    shown = page(browser.get(f"/admin/employers/{uscc}"))
    assert shown.status == 200 and shown.value("name") == "长春测试机械有限公司"
    refused = page(browser.post(f"/admin/employers/{uscc}", data={"name": "新名称", "reason": ""}))
    assert refused.status == 400 and "reason" in refused.invalid
    done = browser.post(f"/admin/employers/{uscc}", data={"name": "新名称", "legal_representative": "",
                                                           "address": "", "reason": "更名"})
    assert any("master record has been changed" in alert for alert in follow(browser, done).alerts)
    _other, yanbian = signed_in("supervisor", "222400")
    assert yanbian.get(f"/admin/employers/{uscc}").status_code == 404
    assert yanbian.get("/admin/employers/91220101MA00000000").status_code == 404
