"""Explorers of the recombination chapter."""
