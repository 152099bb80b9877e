"""Views of the ions chapter."""
