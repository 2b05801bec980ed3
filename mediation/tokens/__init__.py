"""API tokens: per-user bearer tokens of the JSON API, issued and revoked by their owners."""
