from mentoring_shared.db.migrations import run_env

from matching.orm import metadata

run_env(metadata)
