pytest_plugins = ["mentoring_shared.testing.fixtures"]
