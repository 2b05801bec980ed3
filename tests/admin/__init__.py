"""Service tests of the administration package."""
