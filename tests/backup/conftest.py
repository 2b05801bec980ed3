"""Backups are written under the test's own folder, never into the project's instance/."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def backup_dir(app, tmp_path) -> Path:
    app.config["BACKUP_DIR"] = str(tmp_path / "backups")
    return tmp_path / "backups"
