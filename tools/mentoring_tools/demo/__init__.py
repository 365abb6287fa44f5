"""The demo: the whole journey of a mentoring program on the running platform (`make demo`)."""
