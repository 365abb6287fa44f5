"""The Blueprint every service uses: flask-smorest's, rejecting unknown fields wherever input is
parsed (webargs drops unknown query parameters by default; a typo'd filter must not pass silently)."""

import marshmallow as ma
import flask_smorest
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
                                   "query": ma.RAISE, "querystring": ma.RAISE, "json": ma.RAISE,
                                   "form": ma.RAISE, "json_or_form": ma.RAISE}


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()
