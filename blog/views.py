"""Members' writing pages: thin views over blog/services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from taggit.models import Tag

from blog import services
from blog.forms import PictureForm, PostForm
from blog.models import BlogPage
from core.ratelimit import RateLimited

POPULAR_TAGS = 30


def _popular_tags():
    return (
        Tag.objects.filter(blog_blogpagetag_items__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)[:POPULAR_TAGS]
    )


def _form_page(request, form, post=None, state=None, status=200):
    return TemplateResponse(
        request,
        "blog/post_form.html",
        {
            "form": form,
            "post": post,
            "state": state,
            "tag_suggestions": _popular_tags(),
        },
        status=status,
    )


def _after_save(request, post: BlogPage, action: str):
    if action == "submit":
        try:
            services.submit_for_review(request.user, post)
        except services.BlogError as error:
            messages.error(request, str(error))
            return redirect("blog:edit", post_id=post.pk)
        messages.success(
            request,
            "Your post is with the moderators. You'll get an email when it is published "
            "or if they ask for changes.",
        )
        return redirect("blog:my_posts")
    if action == "preview":
        return redirect("blog:preview", post_id=post.pk)
    messages.success(
        request, "Draft saved. Only you can see it until you send it for review."
    )
    return redirect("blog:edit", post_id=post.pk)


def _save(request, post=None):
    form = PostForm(request.POST, request.FILES)
    state = services.post_state(post) if post else None
    try:
        services.check_rate(request.user)
    except RateLimited as limited:
        form.is_valid()
        form.add_error(
            None,
            f"You've saved a lot of posts lately ({limited.rate.describe()} at most). "
            f"Please wait {limited.wait_in_words} and try again; your text is still here.",
        )
        response = _form_page(request, form, post, state, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    if not form.is_valid():
        messages.error(
            request, "Your post was not saved: please check the fields marked below."
        )
        return _form_page(request, form, post, state, status=400)
    try:
        if post is None:
            post = services.create_once(
                request.user,
                form.cleaned_data["token"],
                lambda: services.save_draft(request.user, form.draft()),
            )
        else:
            post = services.save_draft(request.user, form.draft(), post)
    except services.BlogError as error:
        if state is not None and state.locked:
            messages.error(request, str(error))
        else:
            form.add_error("body", str(error))
        return _form_page(request, form, post, state, status=400)
    return _after_save(request, post, request.POST.get("action", "draft"))


@login_required
def write(request):
    """/blog/write/: a new post."""
    if request.method == "POST":
        return _save(request)
    return _form_page(request, PostForm())


@login_required
def edit(request, post_id):
    """/blog/posts/<id>/edit/: the member's own post; locked while in review."""
    post = services.editable_post(request.user, post_id)
    if request.method == "POST":
        return _save(request, post)
    return _form_page(request, PostForm.for_post(post), post, services.post_state(post))


@login_required
def preview(request, post_id):
    """The post as its latest revision has it, the way readers will see it."""
    post = services.editable_post(request.user, post_id)
    page = services.draft_of(post)
    return render(
        request,
        "blog/blog_page.html",
        {
            "page": page,
            "self": page,
            "preview": True,
            "state": services.post_state(post),
            "related_posts": page.related_posts(),
        },
    )


@login_required
def my_posts(request):
    """/blog/my-posts/: every post of the member and where it stands."""
    return render(
        request, "blog/my_posts.html", {"posts": services.my_posts(request.user)}
    )


@login_required
@require_POST
def submit(request, post_id):
    post = services.editable_post(request.user, post_id)
    return _after_save(request, post, "submit")


@login_required
@require_POST
def withdraw(request, post_id):
    post = services.editable_post(request.user, post_id)
    try:
        services.withdraw(request.user, post)
    except services.BlogError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Withdrawn from review: you can edit your post again."
        )
    return redirect("blog:edit", post_id=post.pk)


@login_required
@require_POST
def upload_picture(request):
    """The editor's "Add a picture" button: store one picture, answer with the
    Markdown line that shows it (JSON)."""
    try:
        services.check_rate(request.user)
    except RateLimited as limited:
        response = JsonResponse(
            {
                "errors": {
                    "picture": [
                        f"Too many uploads: please wait {limited.wait_in_words}."
                    ]
                }
            },
            status=429,
        )
        response["Retry-After"] = str(limited.retry_after)
        return response
    form = PictureForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    data = form.cleaned_data
    image = services.save_picture(
        request.user,
        data["picture"],
        title=data["caption"] or data["alt_text"],
        alt_text=data["alt_text"],
    )
    caption = data["caption"].replace('"', "'")
    title = f' "{caption}"' if caption else ""
    alt = data["alt_text"].replace("]", "")
    thumbnail = image.get_rendition("max-400x300")
    return JsonResponse(
        {
            "id": image.pk,
            "markdown": f"![{alt}](image:{image.pk}{title})",
            "thumbnail": thumbnail.url,
        },
        status=201,
    )
