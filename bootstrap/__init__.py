"""Beamtalk build tooling and the command line."""
