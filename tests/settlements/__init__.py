"""Tests of the settlement agreement PDF, its stored versions and the verification page."""
