"""A section staff write themselves: nothing drafted, only the template's guidance."""

from portal.reports.sources.period import Draft, Period


def draft_narrative(period: Period) -> Draft:
    return Draft(data={}, text="")
