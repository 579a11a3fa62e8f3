"""The one registry of what happens at COMMIT and ROLLBACK (portal/core/after_commit.py)."""

import pytest

from portal.accounts.models import Organisation
from portal.core import after_commit
from portal.extensions import db


@pytest.fixture
def registered():
    """Two keys registered for the test, taken out again after it."""
    seen: list = []
    after_commit.on_commit(
        "test_first",
        lambda session, items: seen.append(("first", items)),
        on_rollback=lambda session, items: seen.append(("undo first", items)),
    )
    after_commit.on_commit("test_second", lambda session, items: seen.append(("second", items)))
    yield seen
    after_commit._registered[:] = [
        entry for entry in after_commit._registered if not entry.key.startswith("test_")
    ]


def test_what_a_transaction_noted_is_done_after_its_commit_in_the_order_registered(app, registered):
    after_commit.remember("test_second", "b")
    after_commit.remember("test_first", "a1", "a2")
    db.session.add(Organisation(name="Kramfors bibliotek", kind="municipal_library"))
    assert registered == [], "nothing before the commit"

    db.session.commit()

    assert registered == [("first", ["a1", "a2"]), ("second", ["b"])]


def test_a_rollback_undoes_or_forgets_and_the_next_commit_does_nothing_for_it(app, registered):
    db.session.add(Organisation(name="Kramfors bibliotek", kind="municipal_library"))
    db.session.flush()
    after_commit.remember("test_first", "a")
    after_commit.remember("test_second", "b")

    db.session.rollback()
    db.session.commit()

    assert registered == [("undo first", ["a"])]


def test_what_was_done_after_a_commit_is_not_undone_by_a_later_rollback(app, registered):
    after_commit.remember("test_first", "kept")
    db.session.commit()
    db.session.rollback()

    assert registered == [("first", ["kept"])]


def test_the_app_factory_registers_each_features_hooks_once(app):
    keys = [entry.key for entry in after_commit._registered]

    assert len(keys) == len(set(keys))
    assert {
        "read_models",
        "outbox_pending_ids",
        "outbox_batch_ids",
        "tasks_after_commit",
        "documents_new_files",
        "documents_doomed_files",
        "documents_pending_text",
        "read_cache_flush",
        "read_cache_bulk",
        "document_text_follows_version",
        "reports_kept",
        "sent_reports_frozen",
        "search_index",
    } <= set(keys)


def test_flush_hooks_see_what_is_written_and_may_refuse_it(app, registered):
    flushed: list = []
    after_commit.after_flush(
        "test_after_flush", lambda session: flushed.extend(o.name for o in session.new)
    )

    def refuse_a_second_kramfors(session):
        if any(getattr(o, "name", "") == "Kramfors igen" for o in session.new):
            raise ValueError("refused")

    after_commit.before_flush("test_before_flush", refuse_a_second_kramfors)
    db.session.add(Organisation(name="Kramfors bibliotek", kind="municipal_library"))
    db.session.flush()
    db.session.add(Organisation(name="Kramfors igen", kind="municipal_library"))

    with pytest.raises(ValueError, match="refused"):
        db.session.flush()
    assert flushed == ["Kramfors bibliotek"]
