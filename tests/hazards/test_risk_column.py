"""The employer risk register shows each employer's open hazards beside its disputes, with a link to them."""

from __future__ import annotations

import html
import re

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.hazards import services
from mediation.models import Case
from mediation.stats import period as periods
from tests.factories import make_case, make_user
from tests.hazards.conftest import hazard_input


def test_open_hazards_beside_the_disputes(app, signed_in):
    case = make_case("intake", region="220102")
    case = db.session.get(Case, case.id)
    uscc, received = case.employer.uscc, case.received_on
    lawyer = make_user("lawyer", "220100")
    for level in ("high", "low"):
        services.hazard_record(actor=lawyer, data=hazard_input(employer_uscc=uscc, level=level))
    closed = services.hazard_record(actor=lawyer, data=hazard_input(employer_uscc=uscc))
    services.hazard_close(hazard=closed, actor=lawyer, expected_version=None, outcome="resolved", closed_on=today())
    services.hazard_record(actor=make_user("lawyer", "222400"), data=hazard_input(employer_uscc=uscc,
                                                                                  region_code="222401"))
    period = periods.containing("month", received)
    _user, browser = signed_in("supervisor", "220100")
    text = browser.get("/risk", query_string={"kind": "month", "period": period.key}).get_data(as_text=True)
    row = re.search(rf'<tr data-uscc="{uscc}"[^>]*>(.*?)</tr>', text, re.S)[1]
    link = re.search(r'data-column="hazards"><a class="hazard-link" href="([^"]+)">(\d+)</a>', row)
    assert link[2] == "3"  # counted in every region, as the disputes are; the closed one is not
    listed = browser.get(html.unescape(link[1])).get_data(as_text=True)
    assert listed.count("data-hazard=") == 2  # the list shows those of the viewer's region only
    csv_rows = browser.get("/risk.csv", query_string={"kind": "month", "period": period.key}).get_data(as_text=True)
    assert csv_rows.splitlines()[0].endswith(",Open hazards") and f"{uscc}" in csv_rows
    assert [line for line in csv_rows.splitlines() if uscc in line][0].endswith(",3")
