"""Beamtalk reference interpreter: front end, analysis, runtime and evaluator."""
