"""Folder pages: the document list by folder, and staff creating, renaming, ordering and
deleting folders."""

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from portal.accounts.permissions import is_staff, require_staff
from portal.core.forms import (
    ButtonForm,
    int_or_none,
    press_button,
    save_form,
    select_choices,
)
from portal.core.i18n import _l, translated
from portal.documents import access, bp, filetypes, folders
from portal.documents.forms import FolderForm, MoveFolderForm, RenameFolderForm
from portal.documents.models import DocumentFolder
from portal.extensions import db


def _folder_or_404(folder_id: int) -> DocumentFolder:
    return db.get_or_404(DocumentFolder, folder_id)


def _listing(folder: DocumentFolder | None):
    manages = is_staff(current_user)
    return render_template(
        "documents/list.html",
        listing=folders.folder_page(current_user, folder),
        kinds=translated(filetypes.KINDS),
        manages=manages,
        may_upload=access.may_upload_somewhere(current_user),
        move_form=MoveFolderForm(formdata=None),
        delete_form=ButtonForm(formdata=None),
    )


@bp.route("/dokument")
@login_required
def document_list():
    return _listing(None)


@bp.route("/dokument/mappar/<id:folder_id>")
@login_required
def folder(folder_id: int):
    return _listing(_folder_or_404(folder_id))


def folder_choices(empty_label) -> list:
    return select_choices(
        [("", empty_label)]
        + [(row.id, "\u2003" * depth + row.name) for row, depth in folders.folder_tree()]
    )


@bp.route("/dokument/mappar/ny", methods=["GET", "POST"])
@require_staff
def new_folder():
    form = FolderForm(data={"parent_id": int_or_none(request.args.get("i"))})
    form.parent_id.choices = folder_choices(_l("Överst (ingen mapp)"))
    done = save_form(
        form,
        lambda: folders.create_folder(current_user, form.name.data, form.parent_id.data),
        _l("Mappen är skapad."),
        lambda created: url_for("documents.folder", folder_id=created.id),
    )
    if done:
        return done
    return render_template("documents/folder_form.html", form=form, folder=None)


@bp.route("/dokument/mappar/<id:folder_id>/andra", methods=["GET", "POST"])
@require_staff
def rename_folder(folder_id: int):
    folder = _folder_or_404(folder_id)
    form = RenameFolderForm(data={"name": folder.name})
    done = save_form(
        form,
        lambda: folders.rename_folder(current_user, folder, form.name.data),
        _l("Mappen har bytt namn."),
        lambda _: url_for("documents.folder", folder_id=folder.id),
    )
    if done:
        return done
    return render_template("documents/folder_form.html", form=form, folder=folder)


@bp.route("/dokument/mappar/<id:folder_id>/flytta", methods=["POST"])
@require_staff
def move_folder(folder_id: int):
    folder = _folder_or_404(folder_id)
    form = MoveFolderForm()
    if not form.validate_on_submit() or form.step.data not in ("-1", "1"):
        abort(400)
    folders.move_folder(current_user, folder, int(form.step.data))
    db.session.commit()
    return redirect(folder_url(folder.parent_id))


@bp.route("/dokument/mappar/<id:folder_id>/ta-bort", methods=["POST"])
@require_staff
def delete_folder(folder_id: int):
    folder = _folder_or_404(folder_id)
    return press_button(
        lambda: folders.delete_folder(current_user, folder),
        _l("Mappen är borttagen."),
        folder_url(folder.parent_id),
        lambda error: (
            render_template("documents/folder_not_empty.html", folder=folder, error=error),
            400,
        ),
    )


def folder_url(folder_id: int | None) -> str:
    if folder_id is None:
        return url_for("documents.document_list")
    return url_for("documents.folder", folder_id=folder_id)
