"""The shared kit of the mentoring platform: every service is built from these parts."""
