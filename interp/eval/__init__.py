"""The evaluator: resolved ASTs to generated Python code."""
