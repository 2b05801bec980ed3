"""Hash-chaining a case's events: each event seals its own content and the hash before it.

Every case has its own chain (one chain for the country would make every write in it wait for
the one before): event ``seq`` 1, 2, 3... of the case, each storing ``prev_hash`` (the hash of
event seq - 1, or GENESIS for the first) and ``hash`` = SHA-256 of prev_hash followed by the
event's canonical content. The case row keeps the head (the last hash and the number of
events), so that losing the last event is noticed as surely as losing one in the middle.

Altering an event changes its hash; recomputing that hash breaks the next event's prev_hash;
rewriting the whole rest of the chain and the head is what a verifier without a copy of the
head kept elsewhere cannot see.

The audit log (mediation/audit/log.py) is chained the same way over AUDIT_CONTENT, as one chain
for the whole database with its head in the audit_head row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from mediation.common.timeutil import as_utc

GENESIS = "0" * 64  # the prev_hash of a case's first event, and the head of a case with none

# What an event's hash covers, in this order.
CONTENT = ("case_id", "seq", "at", "actor_id", "action", "from_state", "to_state", "note", "detail")
# What an audit entry's hash covers (mediation/audit/log.py: the one chain of the operations that
# are no case event), in this order.
AUDIT_CONTENT = ("seq", "at", "actor_id", "action", "region_code", "target_kind", "target_id", "detail")


def canonical_json(value: Any) -> str:
    """One text for one value: keys sorted, no spaces, characters as themselves (not \\u escapes)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def utc_iso(at: dt.datetime) -> str:
    """The instant in UTC with microseconds."""
    return as_utc(at).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_content(event: Mapping[str, Any], content: tuple[str, ...] = CONTENT) -> str:
    """The event's content (the `content` keys of a row, a dict or an ORM object's values) as text."""
    values = [event[name] for name in content]
    values[content.index("at")] = utc_iso(event["at"])
    return canonical_json(values)


def event_hash(prev_hash: str, event: Mapping[str, Any], content: tuple[str, ...] = CONTENT) -> str:
    """SHA-256 (hex) of the previous hash followed by the event's canonical content.

    prev_hash is always 64 hex characters, so the concatenation cannot be read two ways.
    """
    return hashlib.sha256((prev_hash + canonical_content(event, content)).encode("utf-8")).hexdigest()


def as_stored(detail: Mapping[str, Any] | None) -> dict:
    """The detail as the JSON column will hand it back (tuples as lists, keys as text), so that
    the hash taken at write time is the hash of what a verifier reads."""
    return json.loads(json.dumps(detail or {}, allow_nan=False))


def link(values: dict[str, Any], prev_hash: str, content: tuple[str, ...] = CONTENT) -> dict[str, Any]:
    """The event's values with its place in the chain: prev_hash and its own hash added."""
    return {**values, "prev_hash": prev_hash, "hash": event_hash(prev_hash, values, content)}
