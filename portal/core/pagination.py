"""What the pager macro (templates/_macros/pagination.html) asks of a page of results."""


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
