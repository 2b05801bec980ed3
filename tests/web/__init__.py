"""View tests through Flask's test client."""
