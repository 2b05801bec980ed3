"""The security tests reuse the web tests' plumbing (request-scoped clients, signed-in users)."""

from __future__ import annotations

from tests.web.conftest import (  # noqa: F401 (fixtures, imported to be used here)
    _request_scoped_clients,
    client,
)
