"""Two-way calendar sync per master (CalDAV, Google Calendar) and the client's own calendar feed."""
