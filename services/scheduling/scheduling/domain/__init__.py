"""Scheduling's rules as plain Python: mentorships (a pair's plan) and sessions. State changes
return what changed; nothing here touches a database or a broker."""
