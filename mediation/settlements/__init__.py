"""Settlements: the agreement PDF (调解协议书), its stored versions and their public verification."""
