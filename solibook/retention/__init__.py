"""Retention: churn risk and RFM segments of a salon's client cards."""
