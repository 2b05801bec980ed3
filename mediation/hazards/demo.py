"""Demo hazards (mediation/cli/demo.py): a handful per demo prefecture, open and closed, with steps and a
notice, recorded through the same services as the pages."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from mediation import policy
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.hazards.notices import notice_generate
from mediation.hazards.services import HazardInput, hazard_add_step, hazard_close, hazard_record
from mediation.models import Case, Region, User

FACTS = {
    "wage_arrears": "企业资金链紧张，已连续两个月延迟发放工资，职工反映强烈。",
    "social_insurance": "部分新入职职工超过三十日未办理社会保险登记。",
    "mass_layoff": "企业拟调整产线，传出裁员消息，尚未向工会说明情况。",
    "overtime": "旺季连续加班，每月加班时间明显超过法定上限。",
}
STEPS = ["走访企业，约谈人力资源负责人。", "召开职工代表座谈会，了解诉求。", "向企业发出劳动法律监督提示函。"]


def demo_hazards(*, lawyers: dict[str, User], employers: list[tuple[str, str]], verify_url: str,
                 rng: random.Random) -> int:
    """Three hazards for each lawyer's prefecture (a county of it): one open with steps and a notice,
    one resolved, one that became a case of the same employer where the region has one."""
    made = 0
    now = today()
    for code, lawyer in lawyers.items():
        county = db.session.scalars(select(Region).where(Region.parent_code == code).order_by(Region.code)).first()
        for index, (kind, outcome) in enumerate((("wage_arrears", None), ("overtime", "resolved"),
                                                 ("social_insurance", "became_case"))):
            name, uscc = employers[(index + len(code)) % len(employers)]
            found_on = now - dt.timedelta(days=rng.randint(20, 90))
            hazard = hazard_record(actor=lawyer, data=HazardInput(
                region_code=(county or lawyer.region).code, employer_uscc=uscc, employer_name=name, source=rng.choice(
                    ["visit", "supervision", "consultation", "tip_off"]), kind=kind,
                level=["high", "medium", "low"][index], found_on=found_on, workers_affected=str(rng.randint(5, 120)),
                amount=f"{rng.randint(50, 900) * 1000}.00", description=FACTS[kind]))
            for offset, text in enumerate(STEPS[:2]):
                hazard_add_step(hazard=hazard, actor=lawyer, expected_version=None,
                                taken_on=found_on + dt.timedelta(days=3 + 5 * offset), text=text)
            if outcome is None:
                notice_generate(hazard=hazard, actor=lawyer, expected_version=None,
                                reply_by=now + dt.timedelta(days=15), verify_url=verify_url)
            else:
                case = db.session.scalars(select(Case).where(Case.employer_id == hazard.employer_id,
                                                             policy.in_scope(lawyer))).first()
                linked = outcome == "became_case" and case is not None
                hazard_close(hazard=hazard, actor=lawyer, expected_version=None,
                             outcome=outcome if linked or outcome == "resolved" else "referred",
                             closed_on=found_on + dt.timedelta(days=15), case_number=case.number if linked else "",
                             note="企业已整改，补发拖欠款项。" if outcome == "resolved" else "")
            made += 1
    return made
