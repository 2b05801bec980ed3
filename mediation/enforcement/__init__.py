"""Enforcement: the court paths taken when the employer defaults on the agreement."""
