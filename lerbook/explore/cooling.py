"""Explorers of the cooling chapter."""
