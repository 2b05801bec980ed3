"""Load the region tree from its data file; idempotent, so a re-run updates names in place."""

from __future__ import annotations

import json
from pathlib import Path

from mediation.extensions import db
from mediation.models import Region

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "regions_jilin.json"


def regions_load(path: Path = DATA_FILE) -> int:
    """Insert or update every region of the file (parents come first in it); returns the count."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    existing = {r.code: r for r in db.session.execute(db.select(Region)).scalars()}
    paths: dict[str, str] = {code: r.path for code, r in existing.items()}
    for row in rows:
        parent = row.get("parent")
        if parent and parent not in paths:
            raise ValueError(f"region {row['code']} names parent {parent} before it is defined")
        path = (paths[parent] if parent else "") + row["code"] + "/"
        paths[row["code"]] = path
        region = existing.get(row["code"]) or Region(code=row["code"])
        region.parent_code, region.level, region.path = parent, row["level"], path
        region.name_zh, region.name_en = row["name_zh"], row["name_en"]
        db.session.add(region)
        db.session.flush()
    return len(rows)
