"""`flask backup create | restore | verify`: thin wrappers over mediation/backup/service.py."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from mediation.backup import service
from mediation.backup.files import BackupError, human_size

backup_cli = AppGroup("backup", help="Back up and restore the database. Backup files hold personal data.")

KIND_LABELS = {"sqlite": "SQLite database", "postgresql": "pg_dump custom-format archive"}


def _echo_counts(counts: dict[str, int]) -> None:
    click.echo("Rows per table:")
    width = max(map(len, counts), default=0)
    for name in sorted(counts):
        click.echo(f"  {name:<{width}}  {counts[name]:>9}")


def _revision_line(revisions: tuple[str, ...], state: str, subject: str) -> str:
    at = ", ".join(revisions)
    if state == "current":
        return f"{subject} is at revision {at}, the latest this code knows."
    if state == "behind":
        return (f"{subject} is at revision {at}, older than this code ({', '.join(service.code_heads())}): "
                "run `flask db upgrade`.")
    if state == "unknown":
        return f"{subject} is at revision {at}, which this code does not know."
    return f"{subject} has no Alembic revision."


@backup_cli.command("create")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (it must not exist). Default: a timestamped file in instance/backups/.")
def backup_create(output: Path | None) -> None:
    """Back the database up into one file (SQLite: online backup API; PostgreSQL: pg_dump)."""
    try:
        backup = service.create_backup(output)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written: {backup.path} ({human_size(backup.size)}). "
               "It holds personal data: keep it where only the operators can read it.")
    _echo_counts(backup.counts)


@backup_cli.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that the current database is to be replaced.")
def backup_restore(path: Path, yes: bool) -> None:
    """Replace the current database with the backup in PATH."""
    if not yes:
        raise click.ClickException(f"Restoring replaces everything in {service.database_label()} with {path}; "
                                   "run again with --yes to do it.")
    try:
        restored = service.restore_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {path} into {service.database_label()}.")
    _echo_counts(restored.counts)
    click.echo(_revision_line(restored.revisions, restored.state, "The database"))


@backup_cli.command("verify")
@click.argument("path", type=click.Path(path_type=Path))
def backup_verify(path: Path) -> None:
    """Read a backup file through: is it whole, and which schema revision does it hold?"""
    try:
        backup = service.inspect_backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{path}: a readable {KIND_LABELS[backup.kind]}.")
    click.echo(_revision_line(backup.revisions, backup.state, "It"))
    if backup.state in ("none", "unknown"):
        raise click.ClickException("This code cannot restore it.")
