"""Scenario files: a municipality profile, law changes, initiatives and assumptions; load, validate, compose."""
