"""The standard library, written in Beamtalk and loaded by both backends."""
