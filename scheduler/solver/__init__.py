"""The plan engine: a pure function from a validated ``Instance`` to a ``Plan``.

``scheduler.solver.model.solve`` is the single entry point used by the CLI, the service and the
workers alike. Nothing in this package reads files, the network, the clock or the environment.
"""
