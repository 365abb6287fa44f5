import pytest

pytest_plugins = ["mentoring_testing.fixtures", "mentoring_testing.radicale"]

# `make test` runs the suite on two xdist workers (`--dist loadgroup`). These modules start the whole
# platform as processes (four APIs or gunicorn, four workers, a broker) and drive it for tens of
# seconds: they share one worker, one after another, so two of them never compete for the
# machine's two cores while the other worker runs everything else.
WHOLE_PLATFORM_MODULES = {
    "tests/e2e/test_whole_journey.py",
    "tests/e2e/test_make_demo.py",
    "tests/e2e/test_platform_as_make_run_starts_it.py",
    "tests/reliability/test_broker_restart.py",
}


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.split("::", 1)[0] in WHOLE_PLATFORM_MODULES:
            item.add_marker(pytest.mark.xdist_group("whole-platform"))
