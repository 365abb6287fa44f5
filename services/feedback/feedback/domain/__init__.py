"""Feedback's rules as plain Python: requests and submissions. No database, web or broker here."""
