"""Program reports: per cohort, per program and across a tenant's programs.

queries.py holds the aggregate SQL, privacy.py turns its counts into figures and withholds those
built from too few people, csv_export.py writes a report as CSV, report.py puts them together."""
