"""Compile the message catalogues (.po -> .mo); the setup command and the tests call this."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from mediation.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"


def compile_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Write every messages.mo that is missing or older than its .po; return those written."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        written.append(mo_path)
    return written
