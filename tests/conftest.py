pytest_plugins = ["mentoring_shared.testing.fixtures", "mentoring_shared.testing.radicale"]
