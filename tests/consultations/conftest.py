from tests.web.conftest import _request_scoped_clients, client  # noqa: F401 (the view tests' clients)
