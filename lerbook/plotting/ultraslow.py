"""Views of the ultraslow chapter."""
