"""Workflow triggers: POST /api/v1/cases/{number}/actions/{name}, one route per operation of the
table (mediation/case_core/operations.py) that declares an API schema.

Each calls the same service as the case's action page, so the role, state and guard rules are
the services' own: a role that may not fire it is 403, a state or guard that refuses it is 409
`refused`, a stale `expected_version` is 409 `conflict`.
"""

from __future__ import annotations

from flask_login import current_user

from mediation.api.cases import load_case
from mediation.api.docs import blueprint, problems
from mediation.api.idempotency import HEADER_DOC, REPLAYED_DOC
from mediation.api.present import case_detail
from mediation.api.problems import from_service_error
from mediation.api.schemas.cases import CaseSchema
from mediation.api.writes import writes
from mediation.case_core.operations import Operation, api_operations
from mediation.common.errors import ServiceError
from mediation.extensions import db

bp = blueprint("actions_api", __name__, url_prefix="/api/v1/cases",
               description="Workflow triggers, with the fields each needs (the same rules as the case pages).")


def _register(operation: Operation) -> None:
    @bp.route(f"/<case_number:number>/actions/{operation.name}", methods=["POST"], endpoint=operation.name)
    @writes()
    @problems(bp, 400, 403, 404, 409, 413, 415, 422)
    @bp.doc(summary=operation.api_summary, parameters=[HEADER_DOC])
    @bp.arguments(operation.api_schema)
    @bp.response(200, CaseSchema, headers=REPLAYED_DOC, description="The case after the trigger.")
    def fire(body: dict, number: str):
        user, case = current_user._get_current_object(), load_case(number)
        try:
            operation.perform(case, user, body["expected_version"], operation.read_body(body, case))
        except ServiceError as error:
            return from_service_error(error, operation.api_field(body) if operation.api_field else None)
        db.session.flush()
        db.session.expire_all()  # read back what the service wrote (a new lawyer, not the old one)
        return case_detail(load_case(number), user)


# The domains have registered their operations by now (the factory imports them first).
TRIGGERS: dict[str, Operation] = {operation.name: operation for operation in api_operations()}
assert TRIGGERS, "import the domains' operations before the API"
for _operation in TRIGGERS.values():
    _register(_operation)
