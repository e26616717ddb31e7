"""Social publishing: posts to the salon's social profiles, tracked links and their effect."""
