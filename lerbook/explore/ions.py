"""Explorers of the ions chapter."""
