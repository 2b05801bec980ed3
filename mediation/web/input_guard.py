"""Values no database column can hold, refused at the edge before any view reads them.

PostgreSQL refuses a NUL byte in text, and a whole number past its integer's range in a key:
left to the database, either is an error the app did not expect (a 500). A NUL byte in the
path, the query or a form is answered 400 naming the field; a number in a URL past a database
key's range matches no route (404, as a key that does not exist); a page number is kept to
what a list can have.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter, Map

from mediation.api.problems import in_api

MAX_ID = 2**31 - 1  # a database integer key
MAX_PAGE = 100_000  # past any list's last page: an empty page, not an offset the database refuses


class IdConverter(IntegerConverter):
    """`<int:...>` in a URL: a whole number a database key can be."""

    def __init__(self, map: Map, *args, **kwargs) -> None:  # noqa: A002, ANN002, ANN003
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def page_number(default: int = 1) -> int:
    """?page=N as a list's page: a positive whole number up to MAX_PAGE; anything else the first."""
    try:
        number = int(request.args.get("page", default))
    except ValueError:
        return default
    return min(max(number, 1), MAX_PAGE)


def _field_with_nul() -> str | None:
    if "\x00" in request.path:
        return "path"
    try:
        form = request.form
    except RequestEntityTooLarge:
        form = MultiDict()  # the view answers it with its own reason (an upload's size limit)
    for source in (request.args, form):
        for name, values in source.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return name.replace("\x00", "")
    return None


def refuse_nul_bytes():  # noqa: ANN201
    """before_request for the pages: a NUL byte anywhere in the URL or a form is refused, naming
    the field. The API's schemas refuse it in its query and bodies themselves (common/fields.py,
    `storable`), and its case-number converter never matches one; its body is not read here."""
    if in_api():
        return None
    field = _field_with_nul()
    if field is None:
        return None
    message = _l("“%(field)s” contains a character that cannot be stored (a NUL byte).", field=field)
    return render_template("error.html", title=_l("The request could not be understood"), detail=message,
                           code=400), 400


def init_app(app: Flask) -> None:
    """Call before the blueprints are registered: their rules take the converters then."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul_bytes)
