"""Review analysis: language, sentiment and aspects of reviews, per salon and master."""
