"""Test support: personas, a fixed clock and a complaint factory (see fixtures.py)."""
