"""Scheduling's rules as plain Python: mentorships (a pair's plan) and sessions. State changes
return the events that describe them; nothing here touches a database or a broker."""
