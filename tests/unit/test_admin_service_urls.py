"""Where `mentoring admin` and `mentoring demo` send requests: the platform they were pointed at,
never a default port while the platform runs on others."""

from mentoring_tools.admin.client import service_urls


def test_the_local_apis_follow_their_configured_ports():
    urls = service_urls(None, {"PROFILES_PORT": "18001", "FEEDBACK_PORT": "18004"})
    assert urls == {"profiles": "http://127.0.0.1:18001", "matching": "http://127.0.0.1:8002",
                    "scheduling": "http://127.0.0.1:8003", "feedback": "http://127.0.0.1:18004"}


def test_a_service_url_wins_over_its_port_and_a_gateway_over_both():
    environ = {"PROFILES_PORT": "18001", "MENTORING_PROFILES_URL": "https://profiles.example"}
    assert service_urls(None, environ)["profiles"] == "https://profiles.example"
    assert service_urls("https://gw.example/", environ)["profiles"] == "https://gw.example/profiles"
