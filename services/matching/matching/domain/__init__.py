"""Matching's rules as plain Python: matches, mentees' requests and matching runs. State changes
return the events that describe them; nothing here touches a database or a broker."""
