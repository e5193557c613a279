"""Semantic analysis: scopes, the block mutation rule, warnings."""
