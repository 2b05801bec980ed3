"""Consultations counted by topic and channel for a region's subtree and a period, and the table
on the statistics page."""

from __future__ import annotations

import datetime as dt
import re

from mediation.common.timeutil import today
from mediation.consultations.stats import consultation_counts
from mediation.extensions import db
from mediation.models import Region
from tests.consultations.helpers import make_consultation
from tests.factories import make_user


def _world():
    county, other = make_user("lawyer", "220102"), make_user("lawyer", "222401")
    make_consultation(county, channel="hotline", topic="wages")
    make_consultation(county, channel="hotline", topic="wages")
    make_consultation(county, channel="online", topic="severance")
    make_consultation(county, channel="walk_in", topic="wages", held_on=today() - dt.timedelta(days=400))
    make_consultation(other, channel="hotline", topic="wages")


def test_counts_by_topic_and_channel_for_a_subtree_and_period(app):
    _world()
    counts = consultation_counts(db.session.get(Region, "220100"), today() - dt.timedelta(days=30), today())
    assert counts.count("wages", "hotline") == 2
    assert counts.count("severance") == 1 and counts.count(None, "walk_in") == 0
    assert counts.count() == 3
    province = consultation_counts(db.session.get(Region, "220000"), today() - dt.timedelta(days=500), today())
    assert province.count() == 5 and province.count("wages") == 4


def test_the_statistics_page_shows_the_table(signed_in):
    _world()
    _user, browser = signed_in("supervisor", "220100")
    year = today().year
    page = browser.get(f"/statistics?region=220100&unit=year&year={year}").get_data(as_text=True)
    assert 'id="consultation-counts"' in page
    total = re.search(r'id="consultation-total">(\d+)<', page)
    assert total is not None and int(total.group(1)) == 3  # held today; the one of 400 days ago is not this year's
