"""Matching's HTTP API: runs for organizers; suggestions, requests and matches for the people in them."""
