"""No answer carries a worker's full resident ID number or phone, except the recorded "show".

Every route of the URL map × every role × own region / other region / no session, as the access
matrix walks it (pages, JSON, CSV, XLSX and PDF alike): the full numbers of every worker in the
world must appear in none of the answers. The one exception is the answer of the recorded show
(mediation/disclosure), and there only for the people the case needs; it is the scan's proof
that it can find the numbers at all.
"""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader
from sqlalchemy import func, select

from mediation.extensions import db
from mediation.identity import mask_id_number
from mediation.models import PersonalDataAccess, Worker
from tests.access.walk import routes, walk

SHOW_ROUTES = {"POST /cases/<number>/personal-data", "POST /api/v1/cases/<case_number:number>/personal-data"}


def readable_text(response) -> str:  # noqa: ANN001
    """What a person or a program gets out of the answer, whatever its kind."""
    body = response.get_data()
    if response.mimetype == "application/pdf":
        return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    if body.startswith(b"PK\x03\x04"):  # XLSX: its sheets and shared strings are XML inside the zip
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                            if name.endswith(".xml"))
    return body.decode("utf-8", "replace")


def _sent(request) -> set[str]:  # noqa: ANN001
    """Every text a request carried, in its form or its JSON body."""
    values: set[str] = {str(v) for v in (request.data or {}).values()}

    def collect(node) -> None:  # noqa: ANN001
        if isinstance(node, dict):
            for item in node.values():
                collect(item)
        elif isinstance(node, list):
            for item in node:
                collect(item)
        elif isinstance(node, str):
            values.add(node)

    collect(request.json)
    return values


def personal_numbers() -> set[str]:
    db.session.rollback()
    rows = db.session.execute(select(Worker.id_number, Worker.phone)).all()
    return {number for row in rows for number in row if number}


def test_no_page_or_api_answer_carries_a_full_id_number_or_phone(world):
    before = personal_numbers()
    cells = list(walk(world))
    secrets = before | personal_numbers()  # the workers a walked intake added too
    assert len(secrets) > 20

    leaks, shown, masked_seen = [], [], False
    for cell in cells:
        text = readable_text(cell.response)
        # a form sent back with its errors shows what its user just typed: that is not a leak
        typed = _sent(cell.request)
        found = sorted(number for number in secrets - typed if number in text)
        masked_seen = masked_seen or any(mask_id_number(n) in text for n in secrets if len(n) == 18)
        if cell.route.key in SHOW_ROUTES and cell.status == 200:
            shown.append(str(cell))
            assert found, f"{cell}: the show answered 200 without the numbers"
        elif found:
            leaks.append(f"{cell} ({cell.status}, {cell.response.mimetype}): {found[:3]}")

    assert leaks == [], "full ID numbers or phones outside the recorded show:\n" + "\n".join(leaks)
    assert masked_seen  # the pages do show the workers, masked
    # the show answered, with the numbers, exactly to the people the case needs: its own mediator and
    # lawyer and the admin, on the own-region case, by page and by the API; the near case to the admin
    assert sorted(shown) == sorted(
        f"{role} × {key} × {scope}" for key in SHOW_ROUTES
        for role, scope in (("mediator", "own"), ("lawyer", "own"), ("admin", "own"), ("admin", "near")))


def test_each_show_of_the_walk_wrote_its_record(world):
    """The eight shows answered 200 above (2 routes × 4 people) each wrote an access record first."""
    db.session.rollback()
    before = db.session.scalar(select(func.count()).select_from(PersonalDataAccess))
    shows = [route for route in routes(world.app) if route.key in SHOW_ROUTES]
    assert [cell.status for cell in walk(world, shows)].count(200) == 8
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(PersonalDataAccess)) - before == 8
