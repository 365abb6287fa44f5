from mentoring_shared.db.migrations import run_env
from scheduling.orm import metadata

run_env(metadata)
