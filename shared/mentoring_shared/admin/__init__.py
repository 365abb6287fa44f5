"""`mentoring admin`: program managers' and operators' chores through the platform's public HTTP
APIs (never its databases): client.py speaks HTTP, commands.py holds the subcommands, output.py
draws tables and progress."""
