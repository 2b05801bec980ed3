"""The table of case operations: each declared once, read by the pages, the API and the tests.

An entry names what an operation is (its label, the workflow trigger it fires if any, who may
take it and when, where its button goes) and how each adapter reaches its service: the page
builds, fills and reads a form; the API reads a body validated by the entry's schema. Both call
`perform(case, actor, expected_version, fields)`, which calls the domain's service with
the fields in the operation's own terms; a service's field errors are named in those terms and
each adapter maps them once (`api_field`).

Domains declare their entries in their own `operations.py` and `register` them; the case core
imports none of them (the application factory imports the domains).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import workflows
from mediation import policy
from mediation.models import Case, User

# Where an operation's button goes on the case page.
PLACES = ("case", "agreement", "enforcement")


def _nothing(form: Any, case: Case) -> None:
    return None


@dataclass(frozen=True)
class Operation:
    """One operation on a case. `perform(case, actor, expected_version, fields)` calls its service."""

    name: str  # the page's URL segment and the API's action name
    label: Any  # the button (a lazy string)
    done: Any  # said after it succeeded
    perform: Callable[[Case, User, int | None, dict], Any]
    build_form: Callable[[Case, User], Any]  # the page's form for this case and user
    read_form: Callable[[Any, Case], dict]  # the submitted form as the operation's fields
    trigger: str | None = None  # the workflow trigger it fires: its roles, states and guards decide
    allowed: Callable[[User, Case], bool] | None = None  # for an operation that fires no trigger
    roles: frozenset[str] | None = None  # who could ever take a non-trigger operation (else 403)
    place: str = "case"
    style: str = "outline-primary"  # its button on the case page
    confirm_style: str = "primary"  # the submit button of its page
    fields_template: str | None = None  # the page's fields, when not one row per form field
    title: Any = None  # the page's heading, when it differs from the button
    fill_form: Callable[[Any, Case], None] = _nothing  # a new form's defaults
    api_schema: type | None = None  # the API body; None: not an API action
    api_summary: str = ""
    read_body: Callable[[dict], dict] | None = None  # the validated body as the operation's fields
    api_field: Callable[[dict], Callable[[str], str]] | None = None  # field names -> pointers into the body

    @property
    def heading(self) -> Any:
        return self.title or self.label

    def refusal(self, user: User, case: Case) -> workflows.TransitionRefused | None:
        """Why the workflow refuses its trigger to this user now (None for a free operation)."""
        if self.trigger is None:
            return None
        return workflows.refusal(case, self.trigger, policy.acting_role(user, case))

    def may_take(self, user: User, case: Case) -> bool:
        """Whether the user may take it now: its page opens (a trigger whose guard its own form
        completes, such as the venue of a referral, opens while the guard still fails)."""
        return self.button(user, case) == (True, None)

    def role_may_ever_take(self, user: User, case: Case) -> bool:
        """Whether the user's role on this case could take it in some state: a page the role may
        never use answers 403; one the state does not allow yet sends the user back to the case."""
        role = policy.acting_role(user, case)
        if self.trigger is not None:
            refused = self.refusal(user, case)
            return refused is None or refused.kind != "role"
        return role in (self.roles if self.roles is not None else policy.CASE_WORKER_ROLES)

    def button(self, user: User, case: Case) -> tuple[bool, str | None]:
        """(shown, the reason it is blocked or None): a trigger blocked by a guard is shown
        disabled with its reason, so people see what is missing."""
        if self.trigger is None:
            return bool(self.allowed and self.allowed(user, case)), None
        return policy.trigger_button(user, case, self.trigger)


OPERATIONS: dict[str, Operation] = {}


def register(*operations: Operation) -> None:
    for operation in operations:
        if operation.name in OPERATIONS:
            raise ValueError(f"operation {operation.name!r} is declared twice")
        if operation.place not in PLACES:
            raise ValueError(f"operation {operation.name!r}: unknown place {operation.place!r}")
        if (operation.trigger is None) == (operation.allowed is None):
            raise ValueError(f"operation {operation.name!r}: give a trigger or an `allowed` predicate")
        OPERATIONS[operation.name] = operation


def buttons(user: User, case: Case, place: str) -> list[tuple[Operation, str | None]]:
    """The operations to show at this place of the case page, each with the reason it is blocked."""
    shown = []
    for operation in OPERATIONS.values():
        if operation.place != place:
            continue
        visible, blocked = operation.button(user, case)
        if visible:
            shown.append((operation, blocked))
    return shown


def api_operations() -> list[Operation]:
    return [operation for operation in OPERATIONS.values() if operation.api_schema is not None]
