from matching.orm import metadata
from mentoring_shared.db.migrations import run_env

run_env(metadata)
