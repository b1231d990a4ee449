"""The gallery's pages: thin views over gallery/services.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from core.ratelimit import RateLimited
from gallery import services
from gallery.forms import (
    LabelSuggestionForm,
    LikeForm,
    PhotoEditForm,
    ReportForm,
    UploadForm,
)
from gallery.listing import page_of
from gallery.live import alt_suggestion, label_message, push_available
from gallery.models import CatLabel, GalleryImage, LabelStatus

PHOTOS_PER_PAGE = 24
POPULAR_TAGS = 20


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _listing(request, template: str, photos, **context):
    """A page of photo tiles; an htmx "load more" gets just the next tiles."""
    page = page_of(request, photos, PHOTOS_PER_PAGE)
    context = {"photos": page, **context}
    if request.htmx:
        return render(request, "gallery/_photo_page.html", context)
    return render(request, template, context)


def feed(request):
    """Everyone's photos, newest first, with the most used tags."""
    return _listing(
        request,
        "gallery/feed.html",
        GalleryImage.objects.photos().for_listing(request.user),
        popular_tags=services.popular_tags(POPULAR_TAGS),
    )


CAT_ORDERS = {"newest": "Newest first", "confident": "Most confident first"}


def cat_zone(request):
    """Photos labelled as cats (by the classifier or a moderator), newest or most
    confident first, by one member or with one tag."""
    cats = GalleryImage.objects.photos().cats()
    owners = (
        User.objects.filter(pk__in=cats.values("uploaded_by_user"))
        .order_by("username")
        .only("username", "display_name")[:100]
    )
    member = request.GET.get("member", "")[:150]
    tag = request.GET.get("tag", "")[:100].strip()
    order = request.GET.get("order", "newest")
    order = order if order in CAT_ORDERS else "newest"
    photos = cats
    if member:
        photos = photos.filter(uploaded_by_user__username=member)
    if tag:
        photos = services.tagged(photos, tag)
    photos = photos.for_listing(request.user)
    if order == "confident":
        photos = photos.with_confidence().order_by("-confidence", "-created_at", "-pk")
    return _listing(
        request,
        "gallery/cat_zone.html",
        photos,
        cat_zone=True,
        owners=owners,
        cat_tags=services.popular_tags(30),
        filters={"member": member, "tag": tag, "order": order},
        orders=CAT_ORDERS,
    )


def tag(request, tag):
    """Photos with one tag."""
    name = " ".join(tag.split())[:100]
    photos = services.tagged(GalleryImage.objects.photos(), name)
    if not name:
        raise Http404("No such tag.")
    return _listing(
        request,
        "gallery/tag.html",
        photos.for_listing(request.user),
        tag=name,
        popular_tags=services.popular_tags(POPULAR_TAGS),
    )


def photo_detail(request, pk):
    photo = services.visible_photo(request.user, pk)
    is_owner = (
        request.user.is_authenticated and photo.uploaded_by_user_id == request.user.pk
    )
    pending = photo.cat_label_status == LabelStatus.PENDING
    return render(
        request,
        "gallery/photo_detail.html",
        {
            "photo": photo,
            "tags": list(photo.tags.all()),
            "is_owner": is_owner,
            "is_moderator": services.is_moderator(request.user),
            "report": services.existing_report(request.user, photo),
            "report_form": ReportForm(),
            "live_label": is_owner and pending,
            "label_push": push_available(),
            "suggestion_form": LabelSuggestionForm(),
        },
    )


# Uploading


def _tag_suggestions():
    return [tag.name for tag in services.popular_tags(50)]


def _upload_page(request, form, status=200, uploaded=()):
    return TemplateResponse(
        request,
        "gallery/upload.html",
        {
            "form": form,
            "tag_suggestions": _tag_suggestions(),
            "uploaded": uploaded,
            "limits": {
                "files": settings.GALLERY_MAX_FILES_PER_UPLOAD,
                "bytes": settings.GALLERY_MAX_UPLOAD_BYTES,
                "size": filesizeformat(settings.GALLERY_MAX_UPLOAD_BYTES),
                "megapixels": f"{settings.GALLERY_MAX_PIXELS / 1_000_000:g}",
                "rate": services.upload_rate().describe(),
            },
            "label_push": push_available(),
        },
        status=status,
    )


def _rate_message(limited: RateLimited) -> str:
    return (
        f"You've uploaded a lot of photos lately ({limited.rate.describe()} at most). "
        f"Please wait {limited.wait_in_words} and try again."
    )


def _json_errors(errors: dict, status: int, retry_after: int | None = None):
    response = JsonResponse({"errors": errors}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _upload_one(request, upload, form):
    """Rate, check, store one file; (photo, None) or (None, message)."""
    try:
        services.count_upload(request.user)
    except RateLimited as limited:
        return None, _rate_message(limited), limited.retry_after
    try:
        clean = services.clean_photo(upload)
    except ValidationError as error:
        return None, " ".join(error.messages), None
    title = services.title_from_filename(upload.name)
    return services.save_photo(request.user, clean, form.details(title)), None, None


def _uploaded_json(request, photo):
    return JsonResponse(
        {
            "id": photo.pk,
            "title": photo.title,
            "url": reverse("gallery:photo_detail", args=[photo.pk]),
            "edit_url": reverse("gallery:edit", args=[photo.pk]),
            "label_url": reverse("gallery:label", args=[photo.pk]),
            "result": render_to_string(
                "gallery/_upload_result.html", {"photo": photo}, request=request
            ),
        },
        status=201,
    )


@login_required
def upload(request):
    """/gallery/upload/: one photo per request with JavaScript (JSON answers, a
    progress bar each), or several in one form post without it."""
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if wants_json(request):
            return _json_errors(form.errors, 400)
        return _upload_page(request, form, status=400)
    files = form.cleaned_data["photos"]
    if wants_json(request):
        if len(files) != 1:
            return _json_errors({"photos": ["Send one photo per request."]}, 400)
        photo, error, retry_after = _upload_one(request, files[0], form)
        if photo is None:
            return _json_errors(
                {"photos": [error]}, 429 if retry_after else 400, retry_after
            )
        return _uploaded_json(request, photo)
    uploaded, refused, retry_after = [], [], None
    for upload_file in files:
        photo, error, wait = _upload_one(request, upload_file, form)
        if photo is not None:
            uploaded.append(photo)
        else:
            refused.append(f"{upload_file.name[:80]}: {error}")
            retry_after = retry_after or wait
    if not refused:
        count = len(uploaded)
        noun, pronoun = ("photo", "it") if count == 1 else ("photos", "them")
        messages.success(
            request,
            f"{count} {noun} uploaded. The cat detector is looking at {pronoun} now.",
        )
        return redirect(request.user.get_absolute_url())
    for message in refused:
        form.add_error("photos", message)
    response = _upload_page(
        request,
        form,
        status=429 if retry_after and not uploaded else 400,
        uploaded=uploaded,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


# The owner: edit, delete, say what it is


@login_required
def edit(request, pk):
    photo = services.own_photo(request.user, pk)
    suggestion = alt_suggestion(photo)
    if request.method == "POST":
        form = PhotoEditForm(request.POST)
        if form.is_valid():
            services.update_photo(request.user, photo, form.details())
            if wants_json(request):
                return JsonResponse({"ok": True, "title": photo.title})
            messages.success(request, "Your changes are saved.")
            return redirect("gallery:photo_detail", pk=photo.pk)
        if wants_json(request):
            return _json_errors(form.errors, 400)
        status = 400
    else:
        form = PhotoEditForm.for_photo(photo, suggestion)
        status = 200
    return render(
        request,
        "gallery/photo_edit.html",
        {
            "photo": photo,
            "form": form,
            "suggested": bool(suggestion and not photo.description),
            "tag_suggestions": _tag_suggestions(),
        },
        status=status,
    )


@login_required
def delete(request, pk):
    photo = services.own_photo(request.user, pk)
    if request.method == "POST":
        services.delete_photo(request.user, photo)
        messages.success(request, f"“{photo.title}” is deleted.")
        return redirect(request.user.get_absolute_url())
    return render(request, "gallery/photo_delete.html", {"photo": photo})


@login_required
@require_POST
def suggest_label(request, pk):
    """The owner says "this is (not) a cat"; a moderator decides."""
    photo = services.own_photo(request.user, pk)
    form = LabelSuggestionForm(request.POST)
    if form.is_valid():
        services.suggest_label(request.user, photo, form.cleaned_data["label"])
        said = "a cat" if form.cleaned_data["label"] == CatLabel.CAT else "not a cat"
        messages.success(
            request, f"Thanks! A moderator will look at it: you say it is {said}."
        )
    else:
        messages.error(request, "Say whether it is a cat or not.")
    return redirect("gallery:photo_detail", pk=photo.pk)


# Everyone signed in: like and report


@require_POST
def like(request, pk):
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('account_login')}?next={reverse('gallery:photo_detail', args=[pk])}"
        )
    photo = services.visible_photo(request.user, pk)
    form = LikeForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    photo.liked, photo.like_count = services.set_like(
        request.user, photo, form.cleaned_data["liked"]
    )
    if request.htmx:
        return render(request, "gallery/_like_button.html", {"photo": photo})
    return redirect("gallery:photo_detail", pk=photo.pk)


@login_required
def report(request, pk):
    photo = services.visible_photo(request.user, pk)
    existing = services.existing_report(request.user, photo)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            services.report_photo(
                request.user,
                photo,
                form.cleaned_data["reason"],
                form.cleaned_data["details"],
            )
        except services.GalleryError as error:
            form.add_error(None, str(error))
        except RateLimited as limited:
            form.add_error(
                None,
                f"You've sent a lot of reports lately; please wait {limited.wait_in_words}.",
            )
        else:
            messages.success(
                request, "Thank you: the moderators will look at this photo."
            )
            return redirect("gallery:photo_detail", pk=photo.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "gallery/photo_report.html",
        {"photo": photo, "form": form, "report": existing},
        status=status,
    )


def label(request, pk):
    """The photo's label badge (JSON for the live updates' fallback polling)."""
    photo = services.visible_photo(request.user, pk)
    message = label_message(photo)
    if not (
        request.user.is_authenticated and photo.uploaded_by_user_id == request.user.pk
    ):
        message["alt_suggestion"] = ""
    return JsonResponse(message)
