"""The whole journey on the running platform (`make demo` runs the same journey): an HR file of a
few hundred people, a cohort opened and filled, matched and approved, kickoffs booked, sessions
held, feedback both ways, a milestone, a pair caught drifting and rematched, the program report;
all through the public APIs, the services talking only through events. Meanwhile a real Prometheus
scrapes every API and worker, and afterwards every panel of every provisioned Grafana dashboard
returns data."""

import io
import time
from collections import Counter

import pytest

from mentoring_shared.web.auth import issue_dev_token
from mentoring_testing.fixtures import TEST_JWT_SECRET, migrated_databases
from mentoring_tools.admin.client import PlatformClient
from mentoring_tools.demo.journey import Journey
from tests.deploy.dashboards import panel_queries, variable_queries
from tests.e2e.platform import running_platform
from tests.e2e.prometheus import prometheus_scraping

PEOPLE, SESSIONS = 240, 8


@pytest.fixture(scope="module")
def journey(tmp_path_factory, postgres_server, broker):
    tmp_path = tmp_path_factory.mktemp("journey")
    urls = migrated_databases(postgres_server)
    env = {f"{service.upper()}_DATABASE_URL": url for service, url in urls.items()}
    env.update(RUN_BROKER="0", KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap, FEEDBACK_CHORE_INTERVAL_SECONDS="1")
    with running_platform(tmp_path, **env) as (ports, metrics_ports):
        with prometheus_scraping(tmp_path, ports, metrics_ports) as prometheus:
            base_urls = {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}

            def client_for(roles, subject):
                token = issue_dev_token(TEST_JWT_SECRET, "journey", list(roles), subject)
                return PlatformClient(base_urls, token, read_timeout_s=60)

            said = io.StringIO()
            outcome = Journey("journey", client_for, people=PEOPLE, sessions=SESSIONS, out=said,
                              timeout_s=90).run()
            prometheus.wait_for_scrapes_after(time.time() + 2)  # every rate over the journey has its samples
            yield outcome, said.getvalue(), prometheus


def test_the_journey_goes_from_an_hr_file_to_a_rematch_and_a_report(journey):
    outcome, said, _ = journey
    assert outcome.people_imported == PEOPLE
    assert outcome.pairs == outcome.mentees > 0 and outcome.kickoffs == outcome.pairs
    assert outcome.sessions_completed == SESSIONS and outcome.feedback_given == 2 * SESSIONS
    assert outcome.milestones_reached == 1
    assert [reason["code"] for reason in outcome.at_risk_reasons] == ["low_rating"]
    assert outcome.rematch_id and outcome.rematch_id != outcome.at_risk_match_id
    total = outcome.report["total"]
    assert total["participation"]["pairs"] == outcome.pairs + 1  # the rematch is a new pair
    assert total["participation"]["ended_pairs"] == 1
    assert total["sessions"]["completed"] == SESSIONS
    assert total["response_rate"]["answered"] == 2 * SESSIONS and total["response_rate"]["value"] == 1.0
    ratings = [1, 1] + [rating for number in range(1, SESSIONS) for rating in [4 + number % 2] * 2]
    assert total["average_rating"]["value"] == round(sum(ratings) / len(ratings), 2)
    assert "11. The program report" in said and "average rating" in said


def test_every_dashboard_panel_has_data_after_the_journey(journey):
    _, _, prometheus = journey
    empty = [f"{dashboard} / {panel}: {expr}" for dashboard, panel, expr in panel_queries()
             if not prometheus.query(expr)]
    assert not empty, "panels without data:\n" + "\n".join(empty)
    variables_without_values = [f"{dashboard} / ${name}: {expr}" for dashboard, name, expr in variable_queries()
                                if not prometheus.query(expr)]
    assert not variables_without_values, variables_without_values
    counts = Counter(dashboard for dashboard, _, _ in panel_queries())
    assert len(counts) == 4 and min(counts.values()) >= 4, counts
