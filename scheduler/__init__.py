"""fairshare: fair, calendar-aware duty plans for two-parent households."""
