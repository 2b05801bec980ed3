"""The hazard tests reuse the web tests' plumbing (request-scoped clients, signed-in users)."""

from __future__ import annotations

import datetime as dt

from mediation.common.timeutil import today
from mediation.hazards.services import HazardInput
from tests.factories import credit_code
from tests.web.conftest import (  # noqa: F401 (fixtures, imported to be used here)
    _request_scoped_clients,
    client,
)


def hazard_input(**overrides) -> HazardInput:
    values = {"region_code": "220102", "employer_uscc": credit_code(), "employer_name": "长春风险测试有限公司",
              "source": "visit", "kind": "wage_arrears", "level": "high",
              "found_on": today() - dt.timedelta(days=10), "workers_affected": "35", "amount": "420000.00",
              "description": "三个月未发工资"}
    values.update(overrides)
    return HazardInput(**values)
