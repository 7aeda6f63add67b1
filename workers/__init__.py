"""Background workers (Celery). Built once the service exists; see the README's roadmap."""
