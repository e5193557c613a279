"""Beamtalk reference interpreter: front end, analysis, runtime and evaluator."""

import sys

# Beamtalk Integers have any size, and so do their literals and printStrings: lift
# CPython's default 4,300-digit limit on int<->str conversion (a process-wide setting).
sys.set_int_max_str_digits(0)
