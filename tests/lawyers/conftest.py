"""The lawyers' tests share the web tests' plumbing: requests in app contexts of their own,
cheap password hashes, and users signed in on clients of their own."""

from tests.web.conftest import (  # noqa: F401  (fixtures, registered by being imported here)
    _request_scoped_clients,
    client,
)
