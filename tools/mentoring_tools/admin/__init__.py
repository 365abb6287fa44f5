"""`mentoring admin`: program managers' and operators' chores through the platform's public HTTP
APIs (never its databases): client.py speaks HTTP, commands.py holds the subcommands, names.py
finds the names behind ids, output.py draws tables (progress is the kit's, mentoring_shared/progress.py)."""
