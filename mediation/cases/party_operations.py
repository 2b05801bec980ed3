"""The table entry of correcting a party's details (mediation/cases/party_corrections.py): the
page's form for the party the URL names (?party=worker:<id> or employer), and the API's body.
Registered with the case's own operations (mediation/cases/operations.py)."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l

from mediation import policy
from mediation.case_core.operations import Operation
from mediation.cases import forms
from mediation.cases.party_corrections import EMPLOYER_FIELDS, WORKER_FIELDS, party_correct
from mediation.cases.schemas import CorrectPartySchema
from mediation.models import Case, User


def _chosen(case: Case) -> str:
    """The party the page is about: the one the link or the form names, else the first worker."""
    party = (request.values.get("party") or "").strip()
    if party:
        return party
    return f"worker:{case.workers[0].id}" if case.workers else "employer"


def _form(case: Case, user: User) -> forms.WorkerCorrectionForm | forms.EmployerCorrectionForm:
    party = _chosen(case)
    form = forms.EmployerCorrectionForm() if party == "employer" else forms.WorkerCorrectionForm()
    form.party.data = party
    return form


def _fill(form, case: Case) -> None:  # noqa: ANN001
    """The details as recorded, but never a full ID number or phone (masked beside the field)."""
    if isinstance(form, forms.EmployerCorrectionForm):
        form.name.data, form.uscc.data = case.employer_name, case.employer_uscc
        form.legal_representative.data, form.address.data = case.employer_legal_representative, case.employer_address
        return
    worker = next((w for w in case.workers if form.party.data == f"worker:{w.id}"), None)
    if worker is not None:
        form.name.data, form.address.data = worker.name, worker.address


def _read(form, case: Case) -> dict:  # noqa: ANN001
    if isinstance(form, forms.EmployerCorrectionForm):
        changes = {name: getattr(form, name).data or "" for name in EMPLOYER_FIELDS}
    else:
        changes = {"name": form.name.data or "", "address": form.address.data or ""}
        for name in ("id_number", "phone"):  # blank: kept as it is
            if (getattr(form, name).data or "").strip():
                changes[name] = getattr(form, name).data
        if form.remove_phone.data:
            changes["phone"] = ""
    return {"party": form.party.data or "", "changes": changes, "reason": form.reason.data or ""}


def _body(body: dict, case: Case) -> dict:
    fields = set(WORKER_FIELDS) | set(EMPLOYER_FIELDS)
    return {"party": body["party"], "changes": {name: body[name] for name in sorted(fields) if name in body},
            "reason": body["reason"]}


CORRECT_PARTY = Operation(
    "correct_party", _l("Correct a party's details"), _l("The correction has been recorded."),
    allowed=policy.can_correct_party, fields_template="cases/_correct_party_fields.html",
    perform=lambda c, u, v, f: party_correct(case=c, actor=u, expected_version=v, **f),
    build_form=_form, fill_form=_fill, read_form=_read,
    api_schema=CorrectPartySchema, read_body=_body,
    api_summary="Correct a worker's or the employer's details as this case recorded them, with a reason")
