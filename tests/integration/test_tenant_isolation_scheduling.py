"""Tenant isolation on scheduling's own routes (calendars, feed tokens, feeds): tenant B never sees
or changes tenant A's. `test_tenant_isolation` checks that every route is listed here or there."""

import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from mentoring_testing.fixtures import ApiClient
from tests.integration.scheduling_records import insert_mentorship, insert_person, insert_session

CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n"

# (service, method, route, kind, path with tenant A's ids, body); kinds as in test_tenant_isolation,
# and:
#   upload:      tenant B uploads a calendar file for A's person: 404
#   public-feed: no JWT; tokens are global, so an unknown token is a 404 and B's own token opens
#                only B's sessions
SCHEDULING_CASES = [
    ("scheduling", "PUT", "/v1/people/<id:person_id>/calendars/upload", "upload",
     "/v1/people/{person}/calendars/upload", None),
    ("scheduling", "GET", "/v1/people/<id:person_id>/calendars", "read", "/v1/people/{person}/calendars", None),
    ("scheduling", "POST", "/v1/people/<id:person_id>/calendars", "change", "/v1/people/{person}/calendars",
     {"kind": "ics_url", "url": "http://127.0.0.1:9/calendar.ics"}),
    ("scheduling", "POST", "/v1/calendars/<id:source_id>/refresh", "change", "/v1/calendars/{source}/refresh", None),
    ("scheduling", "DELETE", "/v1/calendars/<id:source_id>", "change", "/v1/calendars/{source}", None),
    ("scheduling", "GET", "/v1/people/<id:person_id>/feed-tokens", "read", "/v1/people/{person}/feed-tokens", None),
    ("scheduling", "POST", "/v1/people/<id:person_id>/feed-tokens", "change", "/v1/people/{person}/feed-tokens",
     None),
    ("scheduling", "POST", "/v1/feed-tokens/<id:token_id>/revoke", "change", "/v1/feed-tokens/{feed_token}/revoke",
     None),
    ("scheduling", "GET", "/v1/feeds/<id:token>.ics", "public-feed", "/v1/feeds/{feed_secret}.ics", None),
    ("scheduling", "GET", "/v1/mentorships", "list", "/v1/mentorships", None),
    ("scheduling", "GET", "/v1/mentorships/<id:mentorship_id>", "read", "/v1/mentorships/{mentorship}", None),
    ("scheduling", "GET", "/v1/mentorships/<id:mentorship_id>/slots", "read", "/v1/mentorships/{mentorship}/slots",
     None),
    ("scheduling", "GET", "/v1/mentorships/<id:mentorship_id>/sessions", "read",
     "/v1/mentorships/{mentorship}/sessions", None),
    ("scheduling", "POST", "/v1/mentorships/<id:mentorship_id>/sessions", "change",
     "/v1/mentorships/{mentorship}/sessions", {"starts_at": ["2030-01-07T10:00:00+00:00"]}),
    ("scheduling", "POST", "/v1/mentorships/<id:mentorship_id>/pause", "change", "/v1/mentorships/{mentorship}/pause",
     {}),
    ("scheduling", "POST", "/v1/mentorships/<id:mentorship_id>/resume", "change",
     "/v1/mentorships/{mentorship}/resume", None),
    ("scheduling", "GET", "/v1/sessions", "list", "/v1/sessions", None),
    ("scheduling", "GET", "/v1/sessions/<id:session_id>", "read", "/v1/sessions/{session}", None),
    ("scheduling", "POST", "/v1/sessions/<id:session_id>/reschedule", "change", "/v1/sessions/{session}/reschedule",
     {"starts_at": "2030-01-07T10:00:00+00:00"}),
    ("scheduling", "POST", "/v1/sessions/<id:session_id>/cancel", "change", "/v1/sessions/{session}/cancel", {}),
    ("scheduling", "POST", "/v1/sessions/<id:session_id>/confirm", "change", "/v1/sessions/{session}/confirm", {}),
    ("scheduling", "POST", "/v1/sessions/<id:session_id>/no-show", "change", "/v1/sessions/{session}/no-show", {}),
    ("scheduling", "POST", "/v1/cohorts/<id:cohort_id>/kickoffs", "kickoffs", "/v1/cohorts/{cohort}/kickoffs", {}),
    ("scheduling", "GET", "/v1/people/<id:person_id>/export", "read", "/v1/people/{person}/export", None),
]


@pytest.fixture(scope="module")
def tenant_a(apps):
    """Tenant A: a person with an uploaded calendar, a feed token and a session with another person."""
    tenant = f"tenant-a-{uuid.uuid4().hex[:12]}"
    app = apps["scheduling"]
    api = ApiClient(app, tenant, ("org_admin",))
    person = insert_person(app, tenant)
    mentor = insert_person(app, tenant)
    session = insert_session(app, tenant, person["person_id"], mentor["person_id"],
                             datetime.now(UTC).replace(microsecond=0) + timedelta(days=2))
    source = api.request("PUT", f"/v1/people/{person['person_id']}/calendars/upload",
                         data={"file": (io.BytesIO(CALENDAR), "a.ics")}, content_type="multipart/form-data")
    assert source.status_code == 200, source.get_json()
    token = api.post(f"/v1/people/{person['person_id']}/feed-tokens").get_json()
    insert_mentorship(app, tenant, session)
    return {"tenant": tenant, "api": api, "session": session["session_id"], "ids": {
        "person": person["person_id"], "source": source.get_json()["id"], "feed_token": token["id"],
        "feed_secret": token["token"], "mentorship": session["mentorship_id"], "session": session["session_id"],
        "cohort": session["cohort_id"]}}


def state_of(app, api, ids) -> dict:
    feed = app.test_client().get("/v1/feeds/{feed_secret}.ics".format(**ids))
    return {"mentorship": api.get("/v1/mentorships/{mentorship}".format(**ids)).get_json(),
            "sessions": api.get("/v1/mentorships/{mentorship}/sessions".format(**ids)).get_json(),
            "calendars": api.get("/v1/people/{person}/calendars".format(**ids)).get_json(),
            "feed_tokens": api.get("/v1/people/{person}/feed-tokens".format(**ids)).get_json(),
            "feed": feed.status_code}


@pytest.mark.parametrize("service,method,route,kind,path,body", SCHEDULING_CASES,
                         ids=[f"{c[1]} {c[2]}" for c in SCHEDULING_CASES])
def test_tenant_b_cannot_see_or_touch_tenant_as_scheduling(apps, tenant_a, service, method, route, kind, path, body):
    api, ids, app = tenant_a["api"], tenant_a["ids"], apps[service]
    tenant_b = f"tenant-b-{uuid.uuid4().hex[:12]}"
    other = ApiClient(app, tenant_b, ("org_admin",))
    before = state_of(app, api, ids)
    url = path.format(**ids)
    if kind == "read":
        assert other.request(method, url).status_code == 404
        assert api.request(method, url).status_code == 200  # A sees it: the 404 is isolation
    elif kind == "list":
        listing = other.get(url, query_string={"limit": 200}).get_json()
        assert listing["items"] == []
        assert api.get(url).get_json()["items"]
    elif kind == "change":
        assert other.request(method, url, json=body).status_code == 404
    elif kind == "kickoffs":  # A's cohort is unknown to B: a 404, and A's pairs are untouched
        response = other.request(method, url, json=body)
        assert response.status_code == 404
    elif kind == "upload":
        response = other.request(method, url, data={"file": (io.BytesIO(CALENDAR), "b.ics")},
                                 content_type="multipart/form-data")
        assert response.status_code == 404
    elif kind == "public-feed":
        public = app.test_client()
        assert public.get(url).status_code == 200
        assert f"session-{tenant_a['session']}@".encode() in public.get(url).data  # A's token opens A's feed
        assert public.get(f"/v1/feeds/{uuid.uuid4().hex}.ics").status_code == 404
        b_person = insert_person(app, tenant_b)
        b_token = other.post(f"/v1/people/{b_person['person_id']}/feed-tokens").get_json()["token"]
        b_feed = public.get(f"/v1/feeds/{b_token}.ics")
        assert b_feed.status_code == 200 and tenant_a["session"].encode() not in b_feed.data
    assert state_of(app, api, ids) == before
