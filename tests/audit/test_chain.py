"""The hash of an event (mediation/audit/chain.py): one canonical text per content, so the same
event always hashes the same and any change of any field changes the hash."""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

import pytest

from mediation.audit import chain

AT = dt.datetime(2026, 3, 2, 8, 30, 15, 123456, tzinfo=dt.UTC)
EVENT = {"case_id": 41, "seq": 3, "at": AT, "actor_id": 7, "action": "settle", "from_state": "mediating",
         "to_state": "settled", "note": "双方同意，分两期支付", "detail": {"agreed_fen": {"12": 500000, "13": 0}}}
PREV = hashlib.sha256(b"the event before").hexdigest()


def test_the_same_content_always_gives_the_same_hash():
    assert chain.event_hash(PREV, EVENT) == chain.event_hash(PREV, dict(EVENT))
    # Pinned: a change of the canonical form would silently break every chain already stored.
    assert chain.canonical_content(EVENT) == (
        '[41,3,"2026-03-02T08:30:15.123456Z",7,"settle","mediating","settled","双方同意，分两期支付",'
        '{"agreed_fen":{"12":500000,"13":0}}]')
    assert chain.event_hash(PREV, EVENT) == hashlib.sha256(
        (PREV + chain.canonical_content(EVENT)).encode("utf-8")).hexdigest()


@pytest.mark.parametrize(("field", "value"), [
    ("case_id", 42), ("seq", 4), ("at", AT + dt.timedelta(microseconds=1)), ("actor_id", None),
    ("action", "fail"), ("from_state", None), ("to_state", "failed"), ("note", "双方同意,分两期支付"),
    ("detail", {"agreed_fen": {"12": 500001, "13": 0}}), ("detail", {}),
])
def test_any_change_of_any_field_changes_the_hash(field, value):
    assert chain.event_hash(PREV, {**EVENT, field: value}) != chain.event_hash(PREV, EVENT)


def test_the_previous_hash_is_part_of_the_hash():
    assert chain.event_hash(chain.GENESIS, EVENT) != chain.event_hash(PREV, EVENT)


def test_the_order_of_keys_in_the_detail_does_not_matter():
    reordered = {**EVENT, "detail": {"agreed_fen": {"13": 0, "12": 500000}}}
    assert chain.event_hash(PREV, reordered) == chain.event_hash(PREV, EVENT)


def test_the_time_is_hashed_as_an_instant_in_utc():
    """PostgreSQL hands back the instant in the session's zone, SQLite a naive UTC datetime."""
    beijing = AT.astimezone(ZoneInfo("Asia/Shanghai"))
    naive = AT.replace(tzinfo=None)
    assert chain.event_hash(PREV, {**EVENT, "at": beijing}) == chain.event_hash(PREV, EVENT)
    assert chain.event_hash(PREV, {**EVENT, "at": naive}) == chain.event_hash(PREV, EVENT)


def test_a_detail_is_hashed_as_the_json_column_hands_it_back():
    written = {"parties": ("worker", "employer"), 5: "五"}
    assert chain.as_stored(written) == {"parties": ["worker", "employer"], "5": "五"}
    assert chain.as_stored(None) == {}


def test_link_adds_the_place_in_the_chain():
    linked = chain.link(EVENT, PREV)
    assert linked == {**EVENT, "prev_hash": PREV, "hash": chain.event_hash(PREV, EVENT)}
    assert len(linked["hash"]) == len(chain.GENESIS) == 64
