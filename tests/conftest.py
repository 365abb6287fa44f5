pytest_plugins = ["mentoring_testing.fixtures", "mentoring_testing.radicale"]
