"""Offline-first faceted search index for sectioned articles."""
