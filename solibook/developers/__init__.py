"""API keys with scopes and rate limits, signed webhooks with their delivery log, the developer page."""
