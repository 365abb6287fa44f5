from mentoring_shared.db.migrations import run_env

from feedback.orm import metadata

run_env(metadata)
