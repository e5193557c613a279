"""The evaluator: AST to Python closures."""
