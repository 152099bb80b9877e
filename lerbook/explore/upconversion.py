"""Explorers of the upconversion chapter."""
