"""Reading what the user gives: the company file (YAML), its format (pydantic models), validation, and the
authoring tools that write a company file (starter, spreadsheet import, HR headcount, O*NET task lists)."""
