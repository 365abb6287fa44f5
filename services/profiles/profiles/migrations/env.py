from mentoring_shared.db.migrations import run_env
from profiles.orm import metadata

run_env(metadata)
