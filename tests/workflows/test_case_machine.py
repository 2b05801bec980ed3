"""Tests for the case state machine in ``workflows.case_machine``.

The expected workflow is written out below as literal data, independently of the module:
it is the spec the machine is checked against. Every (state, trigger, role) combination
is fired on a fake case whose guards are all satisfied, so the table, the role rules and
the refusal order (role first, then state, then guards) are covered exhaustively. The
guards, unknown triggers, terminal states and the sharing of the one module-level machine
between many cases are tested separately.
"""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from workflows import (
    CASE_MACHINE,
    OPEN_STATES,
    ROLES,
    STATES,
    TERMINAL_STATES,
    TRIGGERS,
    TransitionRefused,
    available_triggers,
    fire,
    refusal,
    transitions_table,
)

# --- the spec, as literal data --------------------------------------------------------

EXPECTED_STATES = (
    "intake",
    "referred",
    "mediating",
    "settled",
    "enforcing",
    "failed",
    "withdrawn",
    "rejected",
    "closed",
)
EXPECTED_TERMINAL_STATES = frozenset({"failed", "withdrawn", "rejected", "closed"})
EXPECTED_ROLES = ("mediator", "lawyer", "supervisor", "admin")

# trigger -> {source state: destination state}, in the order the buttons are shown.
EXPECTED_TRANSITIONS: dict[str, dict[str, str]] = {
    "refer": {"intake": "referred"},
    "reject": {"intake": "rejected"},
    "withdraw": {"intake": "withdrawn", "referred": "withdrawn", "mediating": "withdrawn"},
    "start_mediation": {"referred": "mediating"},
    "extend": {"mediating": "mediating"},
    "settle": {"mediating": "settled"},
    "fail": {"mediating": "failed"},
    # Judicial confirmation keeps the state: it is applied for within 30 days of the agreement
    # taking effect, default or not (paying, or already enforcing by a payment order).
    "apply_confirmation": {"settled": "settled", "enforcing": "enforcing"},
    "enforce": {"settled": "enforcing"},
    "close": {"settled": "closed", "enforcing": "closed"},
    "write_off": {"enforcing": "closed"},
}
EXPECTED_TRIGGERS = tuple(EXPECTED_TRANSITIONS)

_DESK = frozenset({"mediator", "admin"})
_WORKERS = frozenset({"mediator", "lawyer", "admin"})
EXPECTED_ROLES_FOR: dict[str, frozenset[str]] = {
    "refer": _DESK,
    "reject": _DESK,
    "withdraw": _WORKERS,
    "start_mediation": _WORKERS,
    "extend": _WORKERS,
    "settle": _WORKERS,
    "fail": _WORKERS,
    "apply_confirmation": _WORKERS,
    "enforce": _WORKERS,
    "close": _WORKERS,
    "write_off": _WORKERS,
}

# (source, trigger, dest) rows, as transitions_table() should yield them.
EXPECTED_TABLE = {
    ("intake", "refer", "referred"),
    ("intake", "reject", "rejected"),
    ("intake", "withdraw", "withdrawn"),
    ("referred", "withdraw", "withdrawn"),
    ("mediating", "withdraw", "withdrawn"),
    ("referred", "start_mediation", "mediating"),
    ("mediating", "extend", "mediating"),
    ("mediating", "settle", "settled"),
    ("mediating", "fail", "failed"),
    ("settled", "apply_confirmation", "settled"),
    ("enforcing", "apply_confirmation", "enforcing"),
    ("settled", "enforce", "enforcing"),
    ("settled", "close", "closed"),
    ("enforcing", "close", "closed"),
    ("enforcing", "write_off", "closed"),
}


# --- a fake case -------------------------------------------------------------------------

@dataclass
class Claim:
    agreed_fen: int | None


@dataclass
class FakeCase:
    """Duck-typed stand-in for the Case model; the defaults satisfy every guard."""

    state: str = "intake"
    venue_id: int | None = 7
    lawyer_id: int | None = 11
    claims: list[Claim] = field(default_factory=lambda: [Claim(150_000), Claim(0)])
    extended: bool = False
    outstanding_fen: int = 0
    agreement_effective_on: object = "2026-03-02"
    has_overdue_installment: bool = True
    enforcement_paths: list = field(default_factory=lambda: ["judicial_confirmation"])
    enforcement_pending: bool = False
    judicial_confirmation_open: bool = True  # today lies within the 30 days from the agreement's effect
    judicial_confirmation_under_way: bool = False  # one is pending or granted


def expected_outcome(state: str, trigger: str, role: str) -> tuple[str, str | None]:
    """("moves", dest) or ("refused", kind), from the literal spec alone."""
    if role not in EXPECTED_ROLES_FOR[trigger]:
        return "refused", "role"
    if state not in EXPECTED_TRANSITIONS[trigger]:
        return "refused", "state"
    return "moves", EXPECTED_TRANSITIONS[trigger][state]


# --- the module states the same spec ------------------------------------------------------

def test_states_roles_and_triggers_match_the_spec():
    assert tuple(STATES) == EXPECTED_STATES
    assert TERMINAL_STATES == EXPECTED_TERMINAL_STATES
    assert OPEN_STATES == frozenset(EXPECTED_STATES) - EXPECTED_TERMINAL_STATES
    assert tuple(ROLES) == EXPECTED_ROLES
    assert tuple(TRIGGERS) == EXPECTED_TRIGGERS


def test_transitions_table_equals_the_literal_table():
    rows = list(transitions_table())
    assert len(rows) == len(set(rows)), "transitions_table() repeats a row"
    assert set(rows) == EXPECTED_TABLE


def test_machine_knows_every_state_and_trigger():
    assert set(CASE_MACHINE.states) == set(EXPECTED_STATES)
    assert set(CASE_MACHINE.events) == set(EXPECTED_TRIGGERS)


# --- the exhaustive table: every state x trigger x role -----------------------------------

@pytest.mark.parametrize("role", EXPECTED_ROLES)
@pytest.mark.parametrize("trigger", EXPECTED_TRIGGERS)
@pytest.mark.parametrize("state", EXPECTED_STATES)
def test_fire_follows_the_table(state: str, trigger: str, role: str):
    case = FakeCase(state=state)
    outcome, detail = expected_outcome(state, trigger, role)

    if outcome == "moves":
        assert refusal(case, trigger, role) is None
        assert fire(case, trigger, role) == (state, detail)
        assert case.state == detail
    else:
        with pytest.raises(TransitionRefused) as excinfo:
            fire(case, trigger, role)
        assert excinfo.value.kind == detail
        assert excinfo.value.trigger == trigger
        assert excinfo.value.reason
        assert case.state == state
        # refusal() reports the same thing without raising.
        refused = refusal(case, trigger, role)
        assert refused is not None and refused.kind == detail


@pytest.mark.parametrize("role", EXPECTED_ROLES)
@pytest.mark.parametrize("state", EXPECTED_STATES)
def test_available_triggers_agree_with_the_table(state: str, role: str):
    expected = [
        trigger
        for trigger in EXPECTED_TRIGGERS
        if expected_outcome(state, trigger, role)[0] == "moves"
    ]
    assert available_triggers(FakeCase(state=state), role) == expected


@pytest.mark.parametrize("state", EXPECTED_STATES)
def test_supervisor_may_fire_nothing(state: str):
    case = FakeCase(state=state)
    assert available_triggers(case, "supervisor") == []
    for trigger in EXPECTED_TRIGGERS:
        with pytest.raises(TransitionRefused) as excinfo:
            fire(case, trigger, "supervisor")
        assert excinfo.value.kind == "role"
    assert case.state == state


@pytest.mark.parametrize("role", [None, "", "guest", "Mediator"], ids=repr)
def test_unknown_or_missing_role_is_refused(role: Any):
    case = FakeCase(state="intake")
    assert available_triggers(case, role) == []
    with pytest.raises(TransitionRefused) as excinfo:
        fire(case, "refer", role)
    assert excinfo.value.kind == "role"
    assert case.state == "intake"


@pytest.mark.parametrize("state", sorted(EXPECTED_TERMINAL_STATES))
def test_terminal_states_have_no_outgoing_trigger(state: str):
    assert not [row for row in transitions_table() if row[0] == state]
    for role in EXPECTED_ROLES:
        assert available_triggers(FakeCase(state=state), role) == []


def test_full_happy_path():
    case = FakeCase()
    steps = [
        ("refer", "mediator", "referred"),
        ("start_mediation", "lawyer", "mediating"),
        ("extend", "lawyer", "mediating"),
        ("settle", "mediator", "settled"),
        ("apply_confirmation", "mediator", "settled"),
        ("enforce", "lawyer", "enforcing"),
        ("close", "admin", "closed"),
    ]
    for trigger, role, dest in steps:
        before = case.state
        assert fire(case, trigger, role) == (before, dest)
    assert case.state == "closed"


# --- guards ------------------------------------------------------------------------------

GUARD_CASES = [
    # id, trigger, source state, attributes that break the guard, words the reason must use
    ("refer-no-venue", "refer", "intake", {"venue_id": None}, ("venue",)),
    ("start-no-venue", "start_mediation", "referred", {"venue_id": None}, ("venue",)),
    ("start-no-lawyer", "start_mediation", "referred", {"lawyer_id": None}, ("lawyer",)),
    (
        "start-no-venue-no-lawyer",
        "start_mediation",
        "referred",
        {"venue_id": None, "lawyer_id": None},
        ("venue",),
    ),
    ("settle-no-claims", "settle", "mediating", {"claims": []}, ("claim",)),
    (
        "settle-claim-without-agreed",
        "settle",
        "mediating",
        {"claims": [Claim(10_000), Claim(None)]},
        ("agreed amount",),
    ),
    (
        "settle-agreed-total-zero",
        "settle",
        "mediating",
        {"claims": [Claim(0), Claim(0)]},
        ("total", "zero"),
    ),
    ("extend-twice", "extend", "mediating", {"extended": True}, ("extended",)),
    ("close-money-owed", "close", "settled", {"outstanding_fen": 1}, ("owed",)),
    ("close-enforcing-money-owed", "close", "enforcing", {"outstanding_fen": 1}, ("owed",)),
    ("close-not-effective", "close", "settled", {"agreement_effective_on": None}, ("not taken effect",)),
    ("enforce-not-effective", "enforce", "settled", {"agreement_effective_on": None},
     ("signatures", "seal")),
    ("enforce-nothing-overdue", "enforce", "settled", {"has_overdue_installment": False}, ("overdue",)),
    ("confirm-not-effective", "apply_confirmation", "settled", {"agreement_effective_on": None},
     ("not taken effect",)),
    ("confirm-after-30-days", "apply_confirmation", "settled", {"judicial_confirmation_open": False},
     ("30 days",)),
    ("confirm-after-30-days-enforcing", "apply_confirmation", "enforcing", {"judicial_confirmation_open": False},
     ("30 days",)),
    ("confirm-twice", "apply_confirmation", "settled", {"judicial_confirmation_under_way": True},
     ("pending or granted",)),
    ("write-off-no-path", "write_off", "enforcing", {"enforcement_paths": []}, ("no enforcement path",)),
    ("write-off-path-pending", "write_off", "enforcing", {"enforcement_pending": True}, ("pending",)),
]


@pytest.mark.parametrize(
    ("trigger", "state", "broken", "words"),
    [pytest.param(*rest, id=case_id) for case_id, *rest in GUARD_CASES],
)
@pytest.mark.parametrize("role", sorted(_DESK))
def test_guard_refuses_with_a_reason(trigger, state, broken, words, role):
    case = replace(FakeCase(state=state), **broken)
    assert trigger not in available_triggers(case, role)
    with pytest.raises(TransitionRefused) as excinfo:
        fire(case, trigger, role)
    refused = excinfo.value
    assert refused.kind == "guard"
    assert refused.trigger == trigger
    assert isinstance(refused.reason, str) and refused.reason.strip()
    assert str(refused) == refused.reason
    for word in words:
        assert word in refused.reason.lower()
    assert case.state == state


@pytest.mark.parametrize(
    ("trigger", "state", "attrs", "dest"),
    [
        pytest.param("refer", "intake", {"venue_id": 1}, "referred", id="refer-with-venue"),
        pytest.param(
            "start_mediation", "referred", {"venue_id": 1, "lawyer_id": 1}, "mediating",
            id="start-with-venue-and-lawyer",
        ),
        pytest.param(
            "settle", "mediating", {"claims": [Claim(1)]}, "settled", id="settle-one-fen"
        ),
        pytest.param(
            "settle", "mediating", {"claims": [Claim(0), Claim(5_000)]}, "settled",
            id="settle-some-claims-zero",
        ),
        pytest.param(
            "settle", "mediating", {"claims": (Claim(5_000),)}, "settled",
            id="settle-claims-any-iterable",
        ),
        pytest.param("extend", "mediating", {"extended": False}, "mediating", id="extend-once"),
        pytest.param("close", "settled", {"outstanding_fen": 0}, "closed", id="close-paid-up"),
        pytest.param("close", "enforcing", {"outstanding_fen": 0, "enforcement_pending": True}, "closed",
                     id="close-paid-up-while-enforcing"),
        pytest.param("enforce", "settled", {"has_overdue_installment": True}, "enforcing",
                     id="enforce-after-default"),
        pytest.param("apply_confirmation", "settled", {"has_overdue_installment": False}, "settled",
                     id="confirm-while-paying-nothing-overdue"),
        pytest.param("apply_confirmation", "settled", {"has_overdue_installment": True}, "settled",
                     id="confirm-after-a-default"),
        pytest.param("apply_confirmation", "enforcing", {"judicial_confirmation_under_way": False}, "enforcing",
                     id="confirm-while-enforcing"),
        pytest.param("write_off", "enforcing", {"outstanding_fen": 5_000, "enforcement_paths": ["a", "b"]},
                     "closed", id="write-off-money-still-owed"),
    ],
)
def test_guard_lets_a_ready_case_through(trigger, state, attrs, dest):
    case = FakeCase(state=state, **attrs)
    assert trigger in available_triggers(case, "lawyer" if trigger != "refer" else "mediator")
    assert fire(case, trigger, "admin") == (state, dest)
    assert case.state == dest


def test_role_is_checked_before_state_and_guards():
    # Wrong role, wrong state and a failing guard at once: the role is reported.
    case = FakeCase(state="settled", venue_id=None)
    with pytest.raises(TransitionRefused) as excinfo:
        fire(case, "refer", "lawyer")
    assert excinfo.value.kind == "role"


def test_state_is_checked_before_guards():
    # Right role, wrong state and a failing guard: the state is reported.
    case = FakeCase(state="referred", venue_id=None)
    with pytest.raises(TransitionRefused) as excinfo:
        fire(case, "refer", "mediator")
    assert excinfo.value.kind == "state"
    assert case.state == "referred"


# --- unknown triggers --------------------------------------------------------------------

@pytest.mark.parametrize("trigger", ["", "enforcement", "Refer", "to_closed", "settle "], ids=repr)
@pytest.mark.parametrize("role", EXPECTED_ROLES)
def test_unknown_trigger_is_refused(trigger: str, role: str):
    case = FakeCase(state="mediating")
    with pytest.raises(TransitionRefused) as excinfo:
        fire(case, trigger, role)
    assert excinfo.value.kind == "unknown"
    assert excinfo.value.trigger == trigger
    assert excinfo.value.reason
    assert case.state == "mediating"


# --- one machine shared by every case ----------------------------------------------------

def test_shared_machine_moves_each_case_on_its_own():
    cases = [FakeCase(state=state) for state in EXPECTED_STATES for _ in range(5)]
    before = [c.state for c in cases]
    target = [c for c in cases if c.state == "mediating"][2]

    fire(target, "settle", "lawyer")

    assert target.state == "settled"
    for case, state in zip(cases, before, strict=True):
        if case is not target:
            assert case.state == state


def test_shared_machine_interleaved_lifecycles():
    first, second, third = FakeCase(), FakeCase(), FakeCase(state="mediating")
    fire(first, "refer", "mediator")
    fire(second, "reject", "admin")
    fire(first, "start_mediation", "lawyer")
    fire(third, "fail", "mediator")
    fire(first, "withdraw", "lawyer")
    assert (first.state, second.state, third.state) == ("withdrawn", "rejected", "failed")


def test_firing_does_not_register_the_case_with_the_machine():
    case = FakeCase(state="intake")
    models_before = list(CASE_MACHINE.models)
    fire(case, "refer", "mediator")
    assert all(model is not case for model in CASE_MACHINE.models)
    assert list(CASE_MACHINE.models) == models_before
    # No trigger methods are bolted onto the case either.
    assert not hasattr(case, "refer") and not hasattr(case, "trigger")


def test_fired_cases_can_be_garbage_collected():
    refs = []
    for _ in range(50):
        case = FakeCase(state="intake")
        fire(case, "refer", "mediator")
        fire(case, "start_mediation", "lawyer")
        fire(case, "settle", "lawyer")
        fire(case, "close", "admin")
        refs.append(weakref.ref(case))
    # A refused fire must not hold on to the case either.
    refused = FakeCase(state="closed")
    with pytest.raises(TransitionRefused):
        fire(refused, "settle", "lawyer")
    refs.append(weakref.ref(refused))
    del case, refused
    gc.collect()
    assert [ref for ref in refs if ref() is not None] == []
