"""Partnerships: landing pages for events and partner businesses, with their codes and attribution."""
