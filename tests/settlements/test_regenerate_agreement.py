"""Regenerating an agreement that has signatures: the signatures that would lapse are named and
nothing is written until someone confirms (with a reason); the page and the API say the same."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from mediation.common.errors import Refused
from mediation.extensions import db
from mediation.models import CaseDocument
from mediation.settlements.services import agreement_generate
from mediation.settlements.signing import signature_record
from tests.cases.unchanged import nothing_written
from tests.factories import VERIFY_URL, make_case
from tests.web.conftest import sync


def documents(case) -> int:  # noqa: ANN001
    sync()
    return db.session.scalar(select(func.count()).select_from(CaseDocument).where(CaseDocument.case_id == case.id))


@pytest.fixture
def half_signed(app):
    """A drafted agreement the worker and the employer have signed (the mediator and the seal not yet)."""
    case = make_case("scheduled")
    agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL)
    signature_record(case=case, actor=case.mediator, expected_version=None,
                     parties=[f"worker:{case.workers[0].id}", "employer"], signed_on=None)
    db.session.commit()
    return case


def test_regenerating_a_signed_agreement_names_the_lapsing_signatures_and_writes_nothing(half_signed):
    case = half_signed
    with force_locale("en"), nothing_written(Refused, case, "confirm") as refused:
        agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL)
    message = refused.value.field_errors["confirm"][0]
    assert case.workers[0].name in message and "the employer" in message
