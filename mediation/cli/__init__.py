"""Flask commands: schema and regions, users, demo data, backups."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade

from mediation.cli.audit import audit_cli
from mediation.cli.backup import backup_cli
from mediation.common.errors import ServiceError
from mediation.extensions import db
from mediation.web.commit import abandon, commit
from workflows.roles import ROLES

users_cli = AppGroup("users", help="Manage users.")
regions_cli = AppGroup("regions", help="The region tree.")


@click.command("init-db")
def init_db() -> None:
    """Create or upgrade the schema (migrations) and load the regions."""
    from mediation.regions.tree import regions_load

    upgrade()
    count = regions_load()
    commit()
    click.echo(f"Schema is up to date; {count} regions loaded.")


@regions_cli.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False))
def regions_load_command(path: str | None) -> None:
    """Load regions from PATH (default: the shipped Jilin file)."""
    from pathlib import Path

    from mediation.regions.tree import DATA_FILE, regions_load

    count = regions_load(Path(path) if path else DATA_FILE)
    commit()
    click.echo(f"{count} regions loaded.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--region", "region_code", required=True, help="Home region code, e.g. 220000.")
@click.option("--full-name", default="", help="Defaults to the username.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted for when not given.")
def users_create(username: str, role: str, region_code: str, full_name: str, password: str) -> None:
    """Create a user."""
    from mediation.admin.services import user_create

    try:
        user = user_create(actor=None, username=username, full_name=full_name, role=role,
                           region_code=region_code, password=password)
    except ServiceError as error:
        abandon()
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.field_errors.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from None
    commit()
    click.echo(f"Created {user.role} {user.username} in region {user.region_code}.")


@users_cli.command("deactivate")
@click.argument("username")
def users_deactivate(username: str) -> None:
    """Deactivate a user: they can no longer sign in, and their sessions and API use end now."""
    from mediation.admin.services import user_deactivate
    from mediation.models import User

    user = db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    try:
        changed = user_deactivate(actor=None, user=user)
    except ServiceError as error:
        abandon()
        raise click.ClickException(str(error.message)) from None
    commit()
    click.echo(f"Deactivated {username}; their sessions have ended." if changed
               else f"{username} was already inactive.")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@click.option("--days", type=int, default=None,
              help="Its lifetime in days, shorter than the API_TOKEN_DAYS setting (180 by default) it has otherwise.")
def users_token(username: str, name: str, days: int | None) -> None:
    """Issue an API token for USERNAME; only the token goes to stdout (for scripts to capture)."""
    from mediation.cli.tokens import issue

    raw, expires_on = issue(username, name, days)
    click.echo(raw)
    click.echo(f"This token is shown only now; keep it safe. It expires on {expires_on}. "
               "Send it as 'Authorization: Bearer <token>'.", err=True)


@users_cli.command("revoke-token")
@click.argument("prefix")
@click.option("--user", "username", default=None, help="The owner, when several live tokens share the prefix.")
def users_revoke_token(prefix: str, username: str | None) -> None:
    """Revoke the live API token whose listed prefix is PREFIX (e.g. med_AbCd)."""
    from mediation.cli.tokens import revoke

    click.echo(revoke(prefix, username))


@click.command("seed-demo")
@click.option("--cases", default=300, show_default=True, help="How many demo cases.")
@click.option("--seed", default=2026, show_default=True, help="Random seed, for repeatable data.")
@click.option("--if-empty", is_flag=True, help="Do nothing when cases already exist.")
def seed_demo(cases: int, seed: int, if_empty: bool) -> None:
    """Load demo venues, logins and cases over every region and state."""
    from mediation.cli.demo import DEMO_PASSWORD, demo_load, has_cases

    if if_empty and has_cases():
        click.echo("Demo data already present; nothing done.")
        return
    logins = demo_load(case_count=cases, seed=seed)
    commit()
    click.echo(f"Loaded {cases} demo cases. Demo logins (password: {DEMO_PASSWORD}):")
    for username, role, region in logins:
        click.echo(f"  {username:<14} {role:<11} {region}")


@click.command("compile-translations")
def compile_translations() -> None:
    """Compile the message catalogues in translations/."""
    from mediation.cli.translations import compile_catalogues

    written = compile_catalogues()
    click.echo(f"{len(written)} catalogue(s) compiled.")


stats_cli = AppGroup("stats", help="The recovery statistics' monthly summary.")


@stats_cli.command("rebuild")
def stats_rebuild() -> None:
    """Recompute the monthly summary from the cases (after a load that bypassed the app)."""
    from mediation.extensions import db
    from mediation.stats import summary

    with db.engine.begin() as connection:
        cells = summary.rebuild(connection)
    click.echo(f"{cells} summary cells written.")


@stats_cli.command("verify")
def stats_verify() -> None:
    """Compare the kept summary with a recomputation from the cases; exit 1 if they differ."""
    from mediation.extensions import db
    from mediation.stats import summary

    with db.engine.connect() as connection:
        differences = summary.verify(connection)
    for line in differences[:50]:
        click.echo(line)
    if differences:
        raise click.ClickException(f"{len(differences)} summary cells differ from the cases; "
                                   "run `flask stats rebuild`.")
    click.echo("The summary equals a recomputation from the cases.")


cases_cli = AppGroup("cases", help="Cases in bulk.")


@cases_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--user", "username", required=True, help="The supervisor or administrator the import is recorded as.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the valid cases and skip every case with an error (exit status 0 then).")
def cases_import(path: str, username: str, skip_invalid: bool) -> None:
    """Import a case ledger (CSV or XLSX). With errors it writes nothing and exits with status 1."""
    from sqlalchemy import select

    from mediation.imports.services import import_ledger
    from mediation.models import User

    user = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or not user.active:
        raise click.ClickException(f"No active user {username!r}.")
    try:
        report = import_ledger(actor=user, filename="", path=path, skip_invalid=skip_invalid)
    except ServiceError as error:
        abandon()
        raise click.ClickException(str(error.message)) from None
    for problem, kind in [(p, "") for p in report.problems] + [(w, "warning: ") for w in report.warnings]:
        where = f"row {problem.row}" if problem.row else "file"
        column = f", {problem.column} ({report.header_of(problem.column)})" if problem.column else ""
        click.echo(f"{where}{column}: {kind}{problem.message}", err=True)
    if report.problems and not report.imported:
        abandon()
        raise click.ClickException(f"{len(report.problems)} errors in {report.filename}; nothing was imported.")
    commit()
    click.echo(f"{report.imported} cases imported from {report.filename} ({report.rows} rows); "
               f"{len(report.existing)} already on record; {report.skipped} skipped for errors; "
               f"{report.written.workers_created} new workers, {report.written.employers_created} new employers.")


def register(app: Flask) -> None:
    app.cli.add_command(compile_translations)
    app.cli.add_command(init_db)
    app.cli.add_command(seed_demo)
    app.cli.add_command(users_cli)
    app.cli.add_command(regions_cli)
    app.cli.add_command(stats_cli)
    app.cli.add_command(cases_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(audit_cli)
