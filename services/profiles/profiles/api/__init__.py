"""Profiles' HTTP routes: parse, call a handler, render."""

# Directory reads expose people's emails and the programs' structure: admins, program managers
# and integrations. Participants get their own views (matches, suggestions) in other services.
READERS = ("org_admin", "program_manager", "service")
