"""Language choice: Simplified Chinese by default, English when the user asks for it."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    asked = request.args.get("lang")
    if request.path.startswith("/api/"):  # the API keeps no session: the request says it each time
        chosen = asked if asked in languages else request.accept_languages.best_match(languages)
        return chosen or current_app.config["BABEL_DEFAULT_LOCALE"]
    if asked in languages:
        session["lang"] = asked
        return asked
    chosen = session.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
