"""`flask audit verify`: is every case's history, and the audit log, as it was written?"""

from __future__ import annotations

import click
from flask.cli import AppGroup

audit_cli = AppGroup("audit", help="The tamper-evident case history and audit log.")


@audit_cli.command("verify")
@click.option("--case", "case_number", default=None, help="Only this case (its number).")
def audit_verify(case_number: str | None) -> None:
    """Walk every case's event chain, then the audit log's; name the first altered or missing event or
    entry and exit 1. With --case, only that case's chain."""
    from mediation.audit.verify import describe, verify_database

    verdict = verify_database(case_number)
    if case_number is not None and verdict.cases == 0:
        raise click.ClickException(f"No case {case_number!r}.")
    if verdict.broken is not None:
        raise click.ClickException(f"{verdict.broken}. Checked {verdict.cases} cases, {verdict.events} events "
                                   "up to there.")
    if verdict.log is not None and verdict.log.broken is not None:
        raise click.ClickException(f"{verdict.log.broken}. Checked {verdict.cases} cases, {verdict.events} events "
                                   f"(intact) and {verdict.log.entries} audit entries up to there.")
    click.echo(describe(verdict))
