"""The Beamtalk front end: scanner, layout pass, PLY parser, AST, printer and diagnostics."""

from .diagnostics import Diagnostic, DiagnosticError
from .parser import parse_module

__all__ = ["Diagnostic", "DiagnosticError", "parse_module"]
