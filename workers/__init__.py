"""Background workers (Celery): automatic re-planning when a calendar changes. Not built yet:
they come after the HTTP service, and will call the same solver (``scheduler.solver``)."""
