"""What the pager macro (templates/_macros/pagination.html) asks of a page of results, and
which page the request asks for."""

from flask import request

from portal.core.ids import parse_id


def requested_page() -> int:
    """?page=3; anything that is not a page number (0, "abc", 10^400) is the first page."""
    return request.args.get("page", 1, type=parse_id)


class Paged:
    """Mixed into a read model that has `page` and `pages`."""

    page: int
    pages: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
