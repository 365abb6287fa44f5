"""Reading and writing profiles' aggregates, always within one tenant."""
