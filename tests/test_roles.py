"""The roles are defined once (workflows/roles.py); everything else reads them there."""

from __future__ import annotations

import workflows
from mediation import models, policy
from mediation.common import labels


def test_the_roles_are_one_definition_with_a_label_each():
    assert models.ROLES is workflows.ROLES
    assert policy.CASE_WORKER_ROLES is workflows.CASE_WORKER_ROLES
    assert workflows.CASE_WORKER_ROLES < set(workflows.ROLES)
    assert tuple(labels.ROLE_LABELS) == workflows.ROLES
    assert {role for trigger in workflows.TRIGGERS.values() for role in trigger.roles} <= set(workflows.ROLES)
