"""The funders' contacts: who receives a grant's reports."""
