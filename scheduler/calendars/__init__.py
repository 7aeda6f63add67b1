"""Work calendars: reading them as busy time (``busy``), fetching them (``sources``), and the one
entry point the rest of fairshare calls (``service.busy_from_source``)."""
