"""The operations table (mediation/case_core/operations.py): one entry per operation, every
workflow trigger declared, and a malformed entry refused when it is registered."""

from __future__ import annotations

import pytest

import workflows
from mediation.case_core import operations
from mediation.case_core.operations import OPERATIONS, Operation, api_operations, register


def _entry(**overrides) -> Operation:
    values = {"name": "probe", "label": "Probe", "done": "Done", "perform": lambda c, u, v, f: None,
              "build_form": lambda c, u: None, "read_form": lambda f, c: {}, "allowed": lambda u, c: True}
    values.update(overrides)
    return Operation(**values)


def test_every_workflow_trigger_is_one_operation_of_the_table():
    declared = [operation.trigger for operation in OPERATIONS.values() if operation.trigger is not None]
    assert sorted(declared) == sorted(workflows.TRIGGERS)


def test_every_trigger_is_an_api_action_with_its_body_schema():
    corrections = {"correct_claims", "void_payment", "cancel_session", "reschedule_session", "generate_agreement",
                   "correct_party"}
    assert {operation.name for operation in api_operations()} == set(workflows.TRIGGERS) | corrections
    assert all(operation.read_body is not None and operation.api_summary for operation in api_operations())


def test_the_table_places_every_button():
    assert {operation.place for operation in OPERATIONS.values()} <= set(operations.PLACES)
    assert all(str(operation.label) and str(operation.done) for operation in OPERATIONS.values())


@pytest.mark.parametrize("overrides, problem", [
    ({"name": "settle"}, "declared twice"),
    ({"place": "sidebar"}, "unknown place"),
    ({"trigger": "settle"}, "give a trigger or an `allowed` predicate"),
    ({"allowed": None}, "give a trigger or an `allowed` predicate"),
])
def test_a_malformed_entry_is_refused(overrides, problem):
    with pytest.raises(ValueError, match=problem):
        register(_entry(**overrides))
    assert "probe" not in OPERATIONS
