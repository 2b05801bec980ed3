"""The users' roles, defined once: the workflow, the models, the policy and the command line read them here."""

ROLES = ("mediator", "lawyer", "supervisor", "admin")
# The roles that work cases; a supervisor reviews them and never acts on one.
CASE_WORKER_ROLES = frozenset({"mediator", "lawyer", "admin"})
# Risk screening (mediation/hazards): who finds hazards and records the steps taken on them; the
# supervisors and admins of the region read the register.
HAZARD_RECORDING_ROLES = frozenset({"mediator", "lawyer"})
