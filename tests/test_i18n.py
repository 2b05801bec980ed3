"""The UI speaks Simplified Chinese by default and English on request, and both catalogues stay
complete: every message marked in the code and templates has a translation in each language.

When test_catalogue_is_complete fails after you add or change a message, update the catalogues:

    .venv/bin/pybabel extract -F babel.cfg -k _l -k N_ -o /tmp/messages.pot mediation workflows templates
    .venv/bin/pybabel update -i /tmp/messages.pot -d translations --no-fuzzy-matching

then translate the new entries in translations/zh/LC_MESSAGES/messages.po (and fill the English
msgstr in translations/en/..., usually a copy of the msgid). The .mo files are compiled by
mediation/cli/translations.py; never commit them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import url_for
from flask_babel import refresh
from markupsafe import escape

from mediation.cases import services
from mediation.extensions import db
from tests.factories import make_venue

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TREES = ("mediation", "workflows", "templates")
LANGUAGES = ("zh", "en")
# the markers used besides the defaults: lazy_gettext imported as _l, and workflows' no-op N_
EXTRA_KEYWORDS = {"_l": None, "N_": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}

# %(name)s, %(n)d, %s, ... and the escaped percent sign %% (Jinja's new-style gettext always
# applies % formatting, so a literal percent sign in a template message must be written %%)
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


def _placeholders(text: str) -> Counter:
    return Counter(match.group(0) for match in PLACEHOLDER.finditer(text))


@cache
def extracted_messages() -> dict[tuple[str | tuple[str, ...], str | None], list[str]]:
    """(msgid, context) -> where it is used, extracted with babel.cfg; msgid is a tuple
    (singular, plural) for plural messages."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    keywords = {**DEFAULT_KEYWORDS, **EXTRA_KEYWORDS}
    messages: dict[tuple[str | tuple[str, ...], str | None], list[str]] = {}
    for tree in SOURCE_TREES:
        for filename, lineno, message, _comments, context in extract_from_dir(
            ROOT / tree, method_map, options_map, keywords=keywords
        ):
            msgid = message if isinstance(message, str) else tuple(m for m in message if m)
            if not msgid:
                continue
            key = msgid if isinstance(msgid, str) or len(msgid) > 1 else msgid[0]
            messages.setdefault((key, context), []).append(f"{tree}/{filename}:{lineno}")
    return messages


def load_catalogue(lang: str):
    path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run pybabel init -l {lang} (see this module's doc)"
    with path.open("rb") as po_file:
        return read_po(po_file, locale=lang)


def translated(lang: str, msgid: str) -> str:
    message = load_catalogue(lang).get(msgid)
    assert message is not None and message.string, f"{msgid!r} has no {lang} translation"
    return message.string


def test_extraction_finds_every_kind_of_marker():
    """A broken babel.cfg would extract nothing and make the completeness test pass vacuously."""
    messages = {msgid for msgid, _context in extracted_messages()}
    locations = [loc for locs in extracted_messages().values() for loc in locs]
    where = {loc.split("/")[0] + ("/*.html" if ".html:" in loc else "") for loc in locations}
    assert len(messages) > 100
    assert {"mediation", "workflows", "templates/*.html"} <= where
    assert "Mediation cannot start without an assigned lawyer." in messages  # N_ in workflows
    assert "Unpaid wages" in messages  # _l in mediation
    assert "%(n)d cases" in messages  # a template message with a parameter
    assert not any(".venv" in loc for loc in locations)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_complete(lang):
    catalogue = load_catalogue(lang)
    assert catalogue.plural_forms, "the catalogue header has no Plural-Forms"
    missing, empty, fuzzy, bad_placeholders = [], [], [], []
    for (msgid, context), locations in sorted(extracted_messages().items(), key=lambda item: str(item[0])):
        key = msgid if isinstance(msgid, str) else msgid[0]
        where = ", ".join(locations[:3]) + (f"; context {context!r}" if context else "")
        message = catalogue.get(key, context)
        if message is None or (isinstance(msgid, tuple) != message.pluralizable):
            missing.append(f"  {msgid!r}  ({where})")
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.pluralizable and len(forms) != catalogue.num_plurals:
            empty.append(f"  {msgid!r}: {len(forms)} plural forms, the header says {catalogue.num_plurals}")
            continue
        if not all(forms):
            empty.append(f"  {msgid!r}  ({where})")
            continue
        if message.fuzzy:
            fuzzy.append(f"  {msgid!r}")
        if isinstance(msgid, str):
            expected = _placeholders(msgid)
            for form in forms:
                if _placeholders(form) != expected:
                    bad_placeholders.append(f"  {msgid!r} -> {form!r}")
        else:  # plural forms may drop the number (e.g. "one case") but never invent a placeholder
            allowed = set().union(*(_placeholders(m) for m in msgid))
            for form in forms:
                if not set(_placeholders(form)) <= allowed:
                    bad_placeholders.append(f"  {msgid!r} -> {form!r}")
    problems = []
    if missing:
        problems.append(f"{len(missing)} msgids missing (run pybabel update, then translate them):\n"
                        + "\n".join(missing))
    if empty:
        problems.append(f"{len(empty)} msgids without a translation:\n" + "\n".join(empty))
    if fuzzy:
        problems.append(f"{len(fuzzy)} fuzzy entries (check the translation, then drop the fuzzy flag):\n"
                        + "\n".join(fuzzy))
    if bad_placeholders:
        problems.append("placeholders differ between msgid and msgstr:\n" + "\n".join(bad_placeholders))
    po = f"translations/{lang}/LC_MESSAGES/messages.po"
    assert not problems, f"{po} is incomplete:\n" + "\n\n".join(problems)


def test_the_header_entry_is_not_fuzzy():
    for lang in LANGUAGES:
        assert not load_catalogue(lang).fuzzy, f"the {lang} catalogue header is marked fuzzy"


# --- the pages ---------------------------------------------------------------------------


def _page(client, url: str) -> str:
    # The app fixture keeps one app context open for the whole test and the test client reuses
    # it, so Flask-Babel's per-context cache (in g) would carry the first request's locale into
    # every later request. Drop it, as a fresh production request would.
    refresh()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _heading(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "the page has no <h1>"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _state_badge(html: str, state: str) -> str:
    match = re.search(rf'data-state="{state}">([^<]*)<', html)
    assert match, f"no badge for state {state}"
    return match.group(1).strip()


def _signed_in_mediator(make_user, auth):
    mediator = make_user("mediator", "220100")
    response = auth.login(mediator.username)
    assert response.status_code == 302, "sign-in failed"
    return mediator


def test_case_list_is_chinese_by_default_and_english_on_request(client, auth, make_user):
    _signed_in_mediator(make_user, auth)

    html = _page(client, "/")
    assert '<html lang="zh-CN">' in html
    assert _heading(html) == "案件"
    assert "Cases" not in html
    assert "案件编号" in html  # the table heading Case number

    html = _page(client, "/?lang=en")
    assert '<html lang="en">' in html
    assert _heading(html) == "Cases"
    assert "案件编号" not in html

    html = _page(client, "/")  # the choice sticks in the session
    assert _heading(html) == "Cases"
    assert "Case number" in html

    html = _page(client, "/?lang=zh")
    assert _heading(html) == "案件"
    html = _page(client, "/")
    assert _heading(html) == "案件"


def test_an_unknown_language_falls_back_to_chinese(client):
    html = _page(client, "/login?lang=fr")
    assert _heading(html) == "登录"


def test_login_page_in_both_languages(client):
    html = _page(client, "/login")
    assert _heading(html) == "登录"
    assert "Sign in" not in html
    assert "用户名" in html and "密码" in html

    html = _page(client, "/login?lang=en")
    assert _heading(html) == "Sign in"
    assert "Username" in html and "Password" in html
    assert "登录" not in html

    html = _page(client, "/login")
    assert _heading(html) == "Sign in"


def test_language_survives_signing_in(client, auth, make_user):
    _page(client, "/login?lang=en")
    _signed_in_mediator(make_user, auth)
    assert _heading(_page(client, "/")) == "Cases"


def test_case_detail_shows_the_translated_state(app, client, auth, make_user, make_case):
    mediator = _signed_in_mediator(make_user, auth)
    case = make_case("mediating", region="220102", mediator=mediator)
    with app.test_request_context():
        url = url_for("cases.detail", number=case.number)

    html = _page(client, url)
    assert _state_badge(html, "mediating") == translated("zh", "In mediation") == "调解中"
    assert translated("zh", "Unpaid wages") in html  # the claim kind
    assert "In mediation" not in html

    html = _page(client, url + "?lang=en")
    assert _state_badge(html, "mediating") == "In mediation"
    assert "Unpaid wages" in html
    assert "调解中" not in html


def test_workflow_refusal_reason_is_translated(app, client, auth, make_user, make_case):
    mediator = _signed_in_mediator(make_user, auth)
    case = make_case("intake", region="220102", mediator=mediator)
    services.case_refer(case=case, actor=mediator, expected_version=None, venue=make_venue("220100"), lawyer=None)
    db.session.commit()
    assert case.state == "referred" and case.lawyer_id is None
    with app.test_request_context():
        url = url_for("cases.detail", number=case.number)

    reason = "Mediation cannot start without an assigned lawyer."
    chinese = translated("zh", reason)
    assert chinese != reason and re.search(r"[\u4e00-\u9fff]", chinese)
    html = _page(client, url)
    assert _state_badge(html, "referred") == translated("zh", "Referred")
    assert str(escape(chinese)) in html
    assert reason not in html

    html = _page(client, url + "?lang=en")
    assert str(escape(reason)) in html
    assert str(escape(chinese)) not in html
