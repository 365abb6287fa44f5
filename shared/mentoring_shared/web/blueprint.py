"""The Blueprint every service uses: flask-smorest's, rejecting unknown fields wherever input is
parsed (webargs drops unknown query parameters by default; a typo'd filter must not pass silently),
and with a `multipart` location: a form's fields and files together, as one documented body."""

import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
                                   "query": ma.RAISE, "querystring": ma.RAISE, "json": ma.RAISE,
                                   "form": ma.RAISE, "json_or_form": ma.RAISE, "multipart": ma.RAISE}
    __location_map__ = {**FlaskParser.__location_map__, "multipart": "load_multipart"}

    def load_multipart(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "multipart": "multipart/form-data"}

    def arguments(self, schema, *args, **kwargs):
        """flask-smorest's, with one instance of a schema class for every request: given the class,
        webargs made an instance per request, deep-copying its fields (a twentieth of a small POST's
        time). Marshmallow schemas keep no state between loads."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)
