"""Marketing: campaigns to segments with a hold-out, and automatic journeys."""
