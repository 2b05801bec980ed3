"""The case state machine: states, triggers, guards and who may fire what. Pure Python.

One `Machine` is built at import and shared by every case (see STYLE.md: a machine per
row is slow and SQLAlchemy never calls `__init__` on loaded rows). The machine sees a case
only through the duck-typed attributes the guards read, so the tests can drive it with
plain objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from transitions import Machine, MachineError

from workflows.roles import CASE_WORKER_ROLES


def N_(message: str) -> str:
    """Mark a message for translation without translating it here (no Flask in workflows)."""
    return message


STATES = [
    "intake",
    "referred",
    "mediating",
    "settled",
    "enforcing",
    "failed",
    "withdrawn",
    "rejected",
    "closed",
]
# "settled": the terms are agreed; the agreement takes effect once signed and sealed, and
# the employer pays by its schedule. "enforcing": an installment was missed and a court path
# (payment order, court enforcement) is under way. Judicial confirmation moves no state: the
# parties may apply for it in the 30 days after the agreement takes effect, default or not.
TERMINAL_STATES = frozenset({"failed", "withdrawn", "rejected", "closed"})
OPEN_STATES = frozenset(s for s in STATES if s not in TERMINAL_STATES)


# --- guards: each returns None when the case may move, or the reason it may not ---------

def _needs_venue(case: Any) -> str | None:
    return None if case.venue_id else N_("The case has no venue: choose the venue it is referred to.")


def _needs_lawyer_and_venue(case: Any) -> str | None:
    if not case.venue_id:
        return N_("Mediation cannot start without a venue.")
    if not case.lawyer_id:
        return N_("Mediation cannot start without an assigned lawyer.")
    return None


def _needs_agreed_amounts(case: Any) -> str | None:
    items = list(case.claims)
    if not items:
        return N_("A settlement needs at least one claim item.")
    if any(item.agreed_fen is None for item in items):
        return N_("Every claim item needs an agreed amount before the case can be settled.")
    if sum(item.agreed_fen for item in items) <= 0:
        return N_("The agreed total must be greater than zero.")
    return None


def _needs_no_prior_extension(case: Any) -> str | None:
    return N_("The mediation period has already been extended once.") if case.extended else None


def _needs_nothing_owed(case: Any) -> str | None:
    if case.outstanding_fen > 0:
        return N_("Money is still owed under the agreement: the case cannot be closed yet.")
    return None


def _needs_effective_agreement(case: Any) -> str | None:
    if case.agreement_effective_on is None:
        return N_("The agreement has not taken effect: the signatures and the seal are not all recorded.")
    return None


def _needs_confirmation_window(case: Any) -> str | None:
    # `judicial_confirmation_open`: today lies between the day the agreement took effect and the
    # last of its 30 days (deadlines.judicial_confirmation_open); the case knows what today is.
    if not case.judicial_confirmation_open:
        return N_("The 30 days for applying for judicial confirmation of the agreement have passed.")
    return None


def _needs_no_confirmation_under_way(case: Any) -> str | None:
    if case.judicial_confirmation_under_way:
        return N_("A judicial confirmation of this agreement is already pending or granted.")
    return None


def _needs_overdue_installment(case: Any) -> str | None:
    if not case.has_overdue_installment:
        return N_("No installment is overdue: enforcement starts only after the employer defaults.")
    return None


def _needs_enforcement_concluded(case: Any) -> str | None:
    if not case.enforcement_paths:
        return N_("No enforcement path has been taken.")
    if case.enforcement_pending:
        return N_("An enforcement path is still pending: record its outcome first.")
    return None


@dataclass(frozen=True)
class Trigger:
    name: str
    sources: tuple[str, ...]
    dest: str  # "=" keeps the state (an internal transition such as extend)
    roles: frozenset[str]
    guards: tuple[Callable[[Any], str | None], ...] = ()
    needs_reason: bool = False


TRIGGERS: dict[str, Trigger] = {
    t.name: t
    for t in (
        Trigger("refer", ("intake",), "referred", frozenset({"mediator", "admin"}), (_needs_venue,)),
        Trigger("reject", ("intake",), "rejected", frozenset({"mediator", "admin"}), needs_reason=True),
        Trigger(
            "withdraw", ("intake", "referred", "mediating"), "withdrawn", CASE_WORKER_ROLES, needs_reason=True
        ),
        Trigger("start_mediation", ("referred",), "mediating", CASE_WORKER_ROLES, (_needs_lawyer_and_venue,)),
        Trigger("extend", ("mediating",), "=", CASE_WORKER_ROLES, (_needs_no_prior_extension,), needs_reason=True),
        Trigger("settle", ("mediating",), "settled", CASE_WORKER_ROLES, (_needs_agreed_amounts,)),
        Trigger("fail", ("mediating",), "failed", CASE_WORKER_ROLES, needs_reason=True),
        # Keeps the state: while paying, or while enforcing by a payment order.
        Trigger("apply_confirmation", ("settled", "enforcing"), "=", CASE_WORKER_ROLES,
                (_needs_effective_agreement, _needs_confirmation_window, _needs_no_confirmation_under_way)),
        Trigger("enforce", ("settled",), "enforcing", CASE_WORKER_ROLES,
                (_needs_effective_agreement, _needs_overdue_installment)),
        Trigger("close", ("settled", "enforcing"), "closed", CASE_WORKER_ROLES,
                (_needs_effective_agreement, _needs_nothing_owed)),
        # Enforcement has run its course and money is still owed: close, writing off the rest.
        Trigger("write_off", ("enforcing",), "closed", CASE_WORKER_ROLES, (_needs_enforcement_concluded,),
                needs_reason=True),
    )
}


def _guard_condition(guard: Callable[[Any], str | None]) -> Callable[[Any], bool]:
    def condition(event: Any) -> bool:
        return guard(event.model) is None

    condition.__name__ = guard.__name__
    return condition


def _build_machine() -> Machine:
    machine = Machine(
        model=None,
        states=STATES,
        initial="intake",
        auto_transitions=False,
        send_event=True,
        model_attribute="state",
    )
    for trigger in TRIGGERS.values():
        machine.add_transition(
            trigger.name,
            list(trigger.sources),
            trigger.dest,
            conditions=[_guard_condition(g) for g in trigger.guards],
        )
    return machine


CASE_MACHINE = _build_machine()


class TransitionRefused(Exception):
    """The trigger cannot fire: `reason` says why in words meant for the user."""

    def __init__(self, trigger: str, reason: str, *, kind: str) -> None:
        super().__init__(reason)
        self.trigger = trigger
        self.reason = reason
        self.kind = kind  # "unknown", "role", "state" or "guard"


def refusal(case: Any, trigger_name: str, role: str | None) -> TransitionRefused | None:
    """Why `role` may not fire `trigger_name` on `case` now, or None if it may."""
    trigger = TRIGGERS.get(trigger_name)
    if trigger is None:
        return TransitionRefused(trigger_name, N_("This action does not exist."), kind="unknown")
    if role not in trigger.roles:
        return TransitionRefused(trigger_name, N_("Your role may not take this action."), kind="role")
    if case.state not in trigger.sources:
        return TransitionRefused(
            trigger_name, N_("This action is not possible in the case's current state."), kind="state"
        )
    for guard in trigger.guards:
        reason = guard(case)
        if reason:
            return TransitionRefused(trigger_name, reason, kind="guard")
    return None


def available_triggers(case: Any, role: str | None) -> list[str]:
    """The triggers `role` may fire on `case` now, in definition order (for the buttons)."""
    return [name for name in TRIGGERS if refusal(case, name, role) is None]


def fire(case: Any, trigger_name: str, role: str | None) -> tuple[str, str]:
    """Fire the trigger on the case and return (from_state, to_state); raise TransitionRefused.

    The explicit check gives the user a reason; the machine then does the move and would
    still refuse (MachineError, or False from a condition) if the two ever disagreed.
    """
    refused = refusal(case, trigger_name, role)
    if refused:
        raise refused
    from_state = case.state
    try:
        moved = CASE_MACHINE.events[trigger_name].trigger(case)
    except MachineError as exc:  # pragma: no cover - refusal() covers every source state
        raise TransitionRefused(trigger_name, str(exc), kind="state") from exc
    if not moved:  # pragma: no cover - refusal() runs the same guards first
        raise TransitionRefused(trigger_name, N_("The action's conditions are not met."), kind="guard")
    return from_state, case.state


def transitions_table() -> Iterable[tuple[str, str, str]]:
    """(source, trigger, dest) rows: the diagram as data, for docs and tests."""
    for trigger in TRIGGERS.values():
        for source in trigger.sources:
            yield source, trigger.name, source if trigger.dest == "=" else trigger.dest
