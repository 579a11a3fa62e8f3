"""Celery tasks sent only once the transaction that asked for them has committed.

A task sent before the commit could run before its rows are visible, or for rows a rollback
took away. If the broker is unreachable the task is logged and dropped: whoever asks must have
a beat task that finds the work again (as the outbox sweep and the news publisher do).
"""

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.extensions import db

log = logging.getLogger(__name__)

TASKS_KEY = "tasks_after_commit"


def send_after_commit(task, *args) -> None:
    """`task.apply_async(args)` after the current transaction commits; never after a rollback."""
    db.session.info.setdefault(TASKS_KEY, []).append((task, args))


def register_after_commit_tasks() -> None:
    if getattr(register_after_commit_tasks, "done", False):
        return
    register_after_commit_tasks.done = True

    @event.listens_for(Session, "after_commit")
    def send_tasks(session: Session) -> None:
        for task, args in session.info.pop(TASKS_KEY, []):
            try:
                task.apply_async(args=list(args), retry=False)
            except Exception as error:  # the broker is unreachable: beat finds the work again
                log.warning("Could not send task %s%s: %s", task.name, args, error)
                return

    @event.listens_for(Session, "after_rollback")
    def forget_tasks(session: Session) -> None:
        session.info.pop(TASKS_KEY, None)
