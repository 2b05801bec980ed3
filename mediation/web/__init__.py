"""What the pages (and the API) share to serve a request: error pages and template helpers
(pages.py), form plumbing (forms.py) and the one commit point of a write (commit.py)."""
