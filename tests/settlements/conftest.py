"""The settlement tests reuse the web tests' plumbing (request-scoped clients, signed-in users),
and read PDFs back with pypdf."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from tests.web.conftest import (  # noqa: F401 (fixtures, imported to be used here)
    _request_scoped_clients,
    client,
)


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, with runs of white space made single spaces."""
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages]
