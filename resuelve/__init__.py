"""Resuelve: customer complaint management following ISO 10002."""

__version__ = "0.1.0"
