"""What every page carries besides its content: the site's icon, served locally."""

from __future__ import annotations

import re


def test_every_page_names_the_sites_icon_and_it_is_served(client):
    shown = client.get("/login")
    assert shown.status_code == 200
    match = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', shown.get_data(as_text=True))
    assert match, "no icon: browsers ask for /favicon.ico and get a 404"
    icon = client.get(match.group(1))
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.get_data()
