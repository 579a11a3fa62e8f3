"""News pages: the list, one item, and writing (staff and admins)."""

from flask import Response, abort, render_template, request, url_for
from flask_login import current_user, login_required

from portal.accounts import feeds
from portal.accounts.permissions import is_staff, require_staff
from portal.core.dates import utcnow
from portal.core.forms import (
    ButtonForm,
    int_or_none,
    press_button,
    save_form,
    select_choices,
)
from portal.core.i18n import _l, translated
from portal.core.pagination import requested_page
from portal.extensions import db
from portal.news import bp, services
from portal.news.forms import CommentForm, NewsForm
from portal.news.models import NEWS_STATUSES, NewsItem
from portal.projects import choices as project_choices
from portal.projects.audience import AUDIENCES

FEED = "news"


@bp.route("/nyheter")
@login_required
def news_list():
    listing = services.news_for(
        current_user,
        requested_page(),
        goal_area=int_or_none(request.args.get("malomrade")),
        project=int_or_none(request.args.get("projekt")),
    )
    return render_template(
        "news/list.html",
        listing=listing,
        waiting=services.waiting_news() if is_staff(current_user) else [],
        goal_areas=project_choices.goal_area_choices(),
        projects=services.tagged_projects(),
        statuses=translated(NEWS_STATUSES),
        may_write=is_staff(current_user),
    )


def _readable_or_404(news_id: int) -> NewsItem:
    item = services.readable_item(current_user, news_id)
    if item is None:
        abort(404)
    return item


def _item_page(item: NewsItem, comment_form: CommentForm, status: int = 200):
    return (
        render_template(
            "news/item.html",
            item=item,
            comment_form=comment_form,
            remove_form=ButtonForm(formdata=None),
            may_change=lambda comment: services.may_change_comment(current_user, comment),
            statuses=translated(NEWS_STATUSES),
            audiences=translated(AUDIENCES),
            may_write=is_staff(current_user),
        ),
        status,
    )


@bp.route("/nyheter/<id:news_id>")
@login_required
def news_item(news_id: int):
    return _item_page(_readable_or_404(news_id), CommentForm(formdata=None))


@bp.route("/nyheter/<id:news_id>/kommentarer", methods=["POST"])
@login_required
def add_comment(news_id: int):
    item = _readable_or_404(news_id)
    form = CommentForm()
    response = save_form(
        form,
        lambda: services.add_comment(current_user, item, form.body.data),
        _l("Kommentaren är publicerad."),
        lambda comment: _comment_url(item, comment),
    )
    return response or _item_page(item, form, 400)


def _comment_url(item: NewsItem, comment) -> str:
    return url_for("news.news_item", news_id=item.id, _anchor=f"kommentar-{comment.id}")


def _own_comment(news_id: int, comment_id: int):
    item = _readable_or_404(news_id)
    comment = services.comment_of(item, comment_id)
    if comment is None:
        abort(404)
    return item, comment


@bp.route("/nyheter/<id:news_id>/kommentarer/<id:comment_id>", methods=["GET", "POST"])
@login_required
def edit_comment(news_id: int, comment_id: int):
    item, comment = _own_comment(news_id, comment_id)
    if comment.author_id != current_user.id:
        abort(403)
    form = CommentForm(data={"body": comment.body})
    response = save_form(
        form,
        lambda: services.edit_comment(current_user, comment, form.body.data),
        _l("Kommentaren är ändrad."),
        _comment_url(item, comment),
    )
    return response or render_template(
        "news/comment_form.html", item=item, comment=comment, form=form
    )


@bp.route("/nyheter/<id:news_id>/kommentarer/<id:comment_id>/ta-bort", methods=["POST"])
@login_required
def delete_comment(news_id: int, comment_id: int):
    item, comment = _own_comment(news_id, comment_id)
    if not services.may_change_comment(current_user, comment):
        abort(403)
    return press_button(
        lambda: services.delete_comment(current_user, comment),
        _l("Kommentaren är borttagen."),
        url_for("news.news_item", news_id=item.id),
    )


def _news_form(item: NewsItem | None) -> NewsForm:
    data = None
    if item is not None:
        data = {
            "title": item.title,
            "body": item.body,
            "status": item.status,
            "publish_at": item.publish_at,
            "pinned": item.pinned,
            "audience": item.audience,
            "organisation_ids": [organisation.id for organisation in item.organisations],
            "audience_project_id": item.audience_project_id,
            "goal_area_ids": [area.id for area in item.goal_areas],
            "project_ids": [project.id for project in item.projects],
        }
    form = NewsForm(data=data)
    projects = project_choices.project_choices()
    form.set_audience_choices(projects)
    form.goal_area_ids.choices = select_choices(project_choices.goal_area_choices())
    form.project_ids.choices = select_choices(projects)
    return form


def _edit(item: NewsItem | None):
    form = _news_form(item)
    response = save_form(
        form,
        lambda: services.save_news(
            current_user,
            item,
            title=form.title.data,
            body=form.body.data,
            status=form.status.data,
            publish_at=form.publish_at.data,
            pinned=form.pinned.data,
            audience=form.audience.data,
            organisation_ids=form.organisation_ids.data or [],
            audience_project_id=form.audience_project_id.data,
            goal_area_ids=form.goal_area_ids.data or [],
            project_ids=form.project_ids.data or [],
        ),
        _l("Nyheten är sparad."),
        lambda saved: url_for("news.news_item", news_id=saved.id),
    )
    return response or render_template(
        "news/form.html", form=form, item=item, delete_form=ButtonForm(formdata=None)
    )


@bp.route("/nyheter/ny", methods=["GET", "POST"])
@require_staff
def new_news():
    return _edit(None)


@bp.route("/nyheter/<id:news_id>/andra", methods=["GET", "POST"])
@require_staff
def edit_news(news_id: int):
    return _edit(db.get_or_404(NewsItem, news_id))


@bp.route("/nyheter/<id:news_id>/ta-bort", methods=["POST"])
@require_staff
def delete_news(news_id: int):
    item = db.get_or_404(NewsItem, news_id)
    return press_button(
        lambda: services.delete_news(item), _l("Nyheten är borttagen."), url_for("news.news_list")
    )


feeds.add_feed_settings_routes(
    bp,
    FEED,
    "/nyheter/flode",
    "news/feed_settings.html",
    _l("Nyhetsflödet är avstängt. Den gamla adressen fungerar inte längre."),
)


@bp.route("/nyheter/flode/<token>.xml")
def feed(token: str):
    """The Atom feed of what the token's owner may read: no login, the address is the key."""
    reader = feeds.feed_reader(token, FEED)
    if reader is None:
        abort(404)
    items = services.news_for(reader).items
    updated = max((item.publish_at for item in items), default=None) or utcnow()
    body = render_template("news/feed.xml", items=items, updated=updated)
    return Response(body, mimetype="application/atom+xml")
