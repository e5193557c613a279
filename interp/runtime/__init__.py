"""The runtime: object model, dispatch, printing, exceptions, primitives."""
