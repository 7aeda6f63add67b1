"""Households: the household file a parent writes, and everything between it and the solver.

``schemas`` is the file's shape, ``file`` reads and validates it, ``instance`` turns it (plus busy
time) into the solver's ``Instance`` (pure), ``service`` does the I/O around one plan and ``report``
renders a plan for the terminal.
"""
