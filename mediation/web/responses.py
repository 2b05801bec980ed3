"""Responses the pages and the API answer alike."""

from __future__ import annotations

from flask import Response


def private_pdf(content: bytes, filename: str) -> Response:
    """A stored PDF shown in the browser: never cached, as it names the parties."""
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
