"""HR file (CSV) import, as pure logic: parse an export with a column mapping, then plan what the
import would create, update, deactivate and move. The caller applies a plan in one transaction,
only when it has no errors; a dry run stops at the plan.

    parsed = parse_hr_file(data, WORKDAY)          # HrFileError if the file cannot be read at all
    plan = plan_file(parsed, existing_by_employee_id)
    plan.summary()  # {"creates": ..., "updates": ..., "deactivations": ..., "moves": ..., ...}
"""

from profiles.hr_import.mapping import BAMBOOHR, PRESETS, WORKDAY, ColumnMapping, InvalidColumnMapping
from profiles.hr_import.parsing import HrFileError, HrRow, ParsedFile, RowError, parse_hr_file
from profiles.hr_import.planning import ExistingPerson, ImportPlan, PlannedChange, plan_file, plan_import

__all__ = ["BAMBOOHR", "PRESETS", "WORKDAY", "ColumnMapping", "ExistingPerson", "HrFileError", "HrRow",
           "ImportPlan", "InvalidColumnMapping", "ParsedFile", "PlannedChange", "RowError", "parse_hr_file",
           "plan_file", "plan_import"]
