"""Recommendations: services and home-care products recommended to a client."""
