"""ICS feeds of a plan: one per member and one for the whole household."""
