"""API tokens: the services, the pages and the commands."""
