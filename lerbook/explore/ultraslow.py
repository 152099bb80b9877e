"""Explorers of the ultraslow chapter."""
