"""Load the demo content: accounts, blog posts with images, members' photos, chat rooms.

Idempotent: running it again adds only what is missing. Passwords come from
DEMO_PASSWORD, or are generated once and kept in var/demo-credentials.json
(git-ignored) so every run prints the same ones.
"""

import json
import os
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files import File
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from wagtail.models import Collection
from wagtail.rich_text import RichText

from django_comments_xtd.models import XtdComment
from rest_framework.authtoken.models import Token

from accounts.avatars import normalise_avatar
from accounts.models import EDITORS_GROUP, MEMBERS_GROUP, MODERATORS_GROUP, User
from blog import services as blog_services
from blog.models import BlogIndexPage, BlogPage
from chat import services as chat_services
from chat.models import Room
from comments import services as comment_services
from gallery.labelling import get_classifier, label_image
from gallery.models import GalleryImage, LabelStatus, PhotoLike, PhotoReport
from gallery.services import member_collection
from home.demo import content
from home.models import HomePage

CREDENTIALS_FILE = settings.BASE_DIR / "var" / "demo-credentials.json"


class Command(BaseCommand):
    help = "Load the demo content (safe to run again: it only adds what is missing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            users, passwords = self.load_users()
            users[content.BOT.username], bot_token = self.load_bot()
            images = self.load_photos(users)
            self.label_photos()
            self.load_likes_and_reports(users, images)
            self.load_blog(users, images)
            self.load_rooms(users)
            self.load_comments(users)
        self.print_credentials(users, passwords)
        self.print_bot(bot_token)

    # Accounts

    def load_users(self):
        stored = self.read_stored_passwords()
        shared = os.environ.get("DEMO_PASSWORD", "").strip()
        users, passwords = {}, {}
        for spec in content.USERS:
            user, created = User.objects.get_or_create(
                username=spec.username,
                defaults={
                    "email": spec.email,
                    "display_name": spec.display_name,
                    "bio": spec.bio,
                },
            )
            password = shared or stored.get(spec.username) or secrets.token_urlsafe(9)
            if created or not user.check_password(password):
                user.set_password(password)
            user.is_superuser = user.is_staff = spec.role == "admin"
            if spec.avatar and not user.avatar:
                user.avatar = self.avatar(spec.avatar)
            user.save()
            self.ensure_verified_email(user)
            groups = {
                "admin": [EDITORS_GROUP],
                "moderator": [MODERATORS_GROUP],
                "member": [],
            }[spec.role]
            user.groups.add(*Group.objects.filter(name__in=[MEMBERS_GROUP, *groups]))
            users[spec.username], passwords[spec.username] = user, password
            if created:
                self.stdout.write(f"Created {spec.role} {spec.username}")
        if not shared:
            self.store_passwords(passwords)
        return users, passwords

    def load_bot(self) -> tuple[User, Token]:
        """The chat bot account and its API token (kept across runs)."""
        spec = content.BOT
        bot, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "email": spec.email,
                "display_name": spec.display_name,
                "bio": spec.bio,
            },
        )
        if created:
            bot.set_unusable_password()
            bot.save()
            bot.groups.add(*Group.objects.filter(name=MEMBERS_GROUP))
            self.stdout.write(f"Created bot {spec.username}")
        token, _ = Token.objects.get_or_create(user=bot)
        return bot, token

    def print_bot(self, token: Token) -> None:
        base_url = settings.WAGTAILADMIN_BASE_URL
        self.stdout.write(
            self.style.SUCCESS(
                f"Chat bot {content.BOT.username} (API token, no password): {token.key}"
            )
        )
        self.stdout.write(
            f"  post every 10 s: WHISKERS_TOKEN={token.key} .venv/bin/python "
            f"scripts/chat_bot.py --url {base_url} --room general --every 10 "
            '--message "Feeding time! ({n})"'
        )
        self.stdout.write(
            "  your own token: Profile (/accounts/profile/) > API token, or "
            "`.venv/bin/python manage.py drf_create_token <username>`"
        )

    def avatar(self, filename: str):
        with (content.PHOTO_DIR / filename).open("rb") as handle:
            return normalise_avatar(
                File(handle),
                max_bytes=settings.AVATAR_MAX_UPLOAD_BYTES,
                max_pixels=settings.AVATAR_MAX_PIXELS,
            )

    def ensure_verified_email(self, user):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )

    def read_stored_passwords(self) -> dict:
        try:
            return json.loads(CREDENTIALS_FILE.read_text())
        except (FileNotFoundError, ValueError):
            return {}

    def store_passwords(self, passwords: dict) -> None:
        CREDENTIALS_FILE.parent.mkdir(exist_ok=True)
        CREDENTIALS_FILE.touch(mode=0o600)
        CREDENTIALS_FILE.write_text(json.dumps(passwords, indent=2))

    def print_credentials(self, users, passwords):
        self.stdout.write(
            self.style.SUCCESS("Demo accounts (sign in at /accounts/login/):")
        )
        for spec in content.USERS:
            self.stdout.write(
                f"  {spec.role:<10} {spec.username:<10} password: {passwords[spec.username]}"
            )

    # Photos

    def load_photos(self, users) -> dict[str, GalleryImage]:
        images = {}
        # Oldest first, so the feed opens with the first photos in the list.
        for spec in reversed(content.PHOTOS):
            collection = member_collection(users[spec.owner])
            images[spec.file] = self.load_image(spec, users[spec.owner], collection)
        blog_collection = self.blog_collection()
        for spec in content.BLOG_IMAGES:
            images[spec.file] = self.load_image(
                spec, users[spec.owner], blog_collection
            )
        return images

    def label_photos(self):
        """Label the demo photos now, through the classifier and the same path the
        task worker takes (gallery/labelling.py), so the cat zone is full at once."""
        pending = GalleryImage.objects.uploads().filter(
            cat_label_status=LabelStatus.PENDING
        )
        if not pending.exists():
            return
        classifier = get_classifier()
        for image in pending:
            outcome = label_image(image, classifier)
            image.refresh_from_db()
            self.stdout.write(
                f"Labelled {image.title}: {image.get_cat_label_display() or outcome}"
            )

    def load_likes_and_reports(self, users, images):
        for username, file in content.LIKES:
            PhotoLike.objects.get_or_create(user=users[username], photo=images[file])
        for spec in content.REPORTS:
            report, created = PhotoReport.objects.get_or_create(
                reporter=users[spec.reporter],
                photo=images[spec.photo],
                defaults={"reason": spec.reason, "details": spec.details},
            )
            if created:
                self.stdout.write(
                    f"Added a report of {images[spec.photo].title} for the moderators"
                )

    def blog_collection(self) -> Collection:
        return blog_services.blog_images_collection()

    def load_image(
        self, spec: content.DemoPhoto, owner: User, collection: Collection
    ) -> GalleryImage:
        image = GalleryImage.objects.filter(
            title=spec.title, collection=collection
        ).first()
        if image is not None:
            return image
        licence, licence_url = spec.licence
        credit = f"{spec.credit}. {licence} ({licence_url}). {spec.changes}"
        with spec.path.open("rb") as handle:
            image = GalleryImage(
                title=spec.title,
                description=spec.description,
                caption=f"{spec.caption}\n\nCredit: {credit}".strip(),
                collection=collection,
                uploaded_by_user=owner,
                file=ImageFile(handle, name=spec.file),
            )
            image._set_image_file_metadata()
            image.save()
        image.tags.add(*spec.tags)
        self.stdout.write(f"Added photo {spec.file} ({spec.title})")
        return image

    # Blog

    def load_blog(self, users, images):
        home = HomePage.objects.get()
        blog = BlogIndexPage.objects.child_of(home).first()
        if blog is None:
            blog = home.add_child(
                instance=BlogIndexPage(
                    title="Blog",
                    slug="blog",
                    intro="Stories, tips and adventures from the Whiskers community.",
                    owner=users["admin"],
                )
            )
            blog.save_revision(user=users["admin"]).publish()
            self.stdout.write("Added the blog at /blog/")
        today = timezone.localdate()
        # The emails a real review sends (to moderators and authors) would only
        # clutter the terminal here.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        ):
            for spec in content.POSTS:
                if BlogPage.objects.child_of(blog).filter(slug=spec.slug).exists():
                    continue
                author = users[spec.author]
                post = BlogPage(
                    title=spec.title,
                    slug=spec.slug,
                    intro=spec.intro,
                    date=today - timedelta(days=spec.days_ago),
                    listing_image=images[spec.image],
                    body=self.post_body(spec, images),
                    owner=author,
                    live=False,
                )
                blog.add_child(instance=post)
                post.authors.set([author])
                post.tags.add(*spec.tags)
                revision = post.save_revision(user=author)
                self.review(spec, post, revision, author, users["moderator"])
                self.stdout.write(
                    f"Added post /blog/{spec.slug}/ ({spec.state.replace('_', ' ')})"
                )

    def review(self, spec, post, revision, author, moderator):
        """Take the post where its spec says, the way the site would: submitted
        by its author through the workflow, reviewed by the moderator."""
        if spec.state == "draft":
            return
        if spec.state in ("published", "published_with_review"):
            if author.has_perm("wagtailadmin.access_admin"):
                revision.publish(user=author)
            else:
                blog_services.submit_for_review(author, post)
                self.act(post, moderator, "approve")
            # Dated as in the spec, not the day the demo was loaded.
            BlogPage.objects.filter(pk=post.pk).update(
                date=timezone.localdate() - timedelta(days=spec.days_ago)
            )
            if spec.state == "published":
                return
            draft = blog_services.draft_of(BlogPage.objects.get(pk=post.pk))
            draft.body.append(("paragraph", RichText(f"<p>{spec.update}</p>")))
            draft.save_revision(user=author)
        blog_services.submit_for_review(author, BlogPage.objects.get(pk=post.pk))
        if spec.state == "changes_requested":
            self.act(post, moderator, "reject", comment=spec.review_comment)

    def act(self, post, moderator, action, **kwargs):
        """What the moderator's "Approve" or "Request changes" does in the admin."""
        task_state = BlogPage.objects.get(pk=post.pk).current_workflow_task_state
        task_state.task.specific.on_action(task_state, moderator, action, **kwargs)

    def post_body(
        self, spec: content.DemoPost, images: dict[str, GalleryImage]
    ) -> list:
        paragraphs = [
            ("paragraph", RichText(f"<p>{text}</p>")) for text in spec.paragraphs
        ]
        body = paragraphs[:1]
        if spec.heading:
            body.append(("heading", {"text": spec.heading, "size": "h2"}))
        body += paragraphs[1:2]
        if spec.body_image:
            image = images[spec.body_image]
            body.append(
                ("image", {"image": image, "caption": image.title, "alt_text": ""})
            )
        if spec.quote:
            body.append(("quote", {"text": spec.quote, "attribution": ""}))
        body += paragraphs[2:]
        return body

    # Comments

    def load_comments(self, users):
        if XtdComment.objects.exists():
            return
        # Demo comments come all at once: no rate limit, no follow-up emails.
        with override_settings(COMMENTS_RATE_LIMIT="1000/60"):
            for spec in content.COMMENTS:
                kind, _, name = spec.on.partition(":")
                if kind == "post":
                    target = BlogPage.objects.get(slug=name)
                else:
                    title = next(
                        photo.title for photo in content.PHOTOS if photo.file == name
                    )
                    target = GalleryImage.objects.photos().get(title=title)
                self.add_comment(users, target, spec, parent=None)
        self.stdout.write(f"Added {XtdComment.objects.count()} comments")

    def add_comment(self, users, target, spec, parent):
        comment = comment_services.post_comment(
            users[spec.author],
            target,
            spec.text,
            parent_id=parent.pk if parent else None,
        )
        for username in spec.liked_by:
            comment_services.toggle_like(users[username], comment.pk)
        for username in spec.flagged_by:
            comment_services.flag(users[username], comment.pk)
        for reply in spec.replies:
            self.add_comment(users, target, reply, parent=comment)

    # Chat

    def load_rooms(self, users):
        for spec in content.ROOMS:
            room, created = Room.objects.get_or_create(
                slug=spec.slug,
                defaults={
                    "name": spec.name,
                    "description": spec.description,
                    "is_public": spec.is_public,
                },
            )
            if created:
                for author, body in spec.messages:
                    chat_services.import_message(room, users[author], body)
                self.stdout.write(f"Added chat room /chat/{spec.slug}/")
