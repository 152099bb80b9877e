"""Views of the cooling chapter."""
