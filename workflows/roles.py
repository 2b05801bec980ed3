"""The users' roles, defined once: the workflow, the models, the policy and the command line read them here."""

ROLES = ("mediator", "lawyer", "supervisor", "admin")
# The roles that work cases; a supervisor reviews them and never acts on one.
CASE_WORKER_ROLES = frozenset({"mediator", "lawyer", "admin"})
