"""HTTP shapes: what the API accepts and renders (marshmallow; unknown fields are refused)."""
