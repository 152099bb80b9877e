"""Views of the recombination chapter."""
