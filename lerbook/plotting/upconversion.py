"""Views of the upconversion chapter."""
