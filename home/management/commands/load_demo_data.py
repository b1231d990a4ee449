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
from django.utils import timezone

from wagtail.models import Collection
from wagtail.rich_text import RichText

from rest_framework.authtoken.models import Token

from accounts.avatars import normalise_avatar
from accounts.models import EDITORS_GROUP, MEMBERS_GROUP, MODERATORS_GROUP, User
from blog.models import BlogIndexPage, BlogPage
from chat import services as chat_services
from chat.models import Room
from gallery.models import CatLabel, GalleryImage, LabelSource
from gallery.services import member_collection
from home.demo import content
from home.models import HomePage

BLOG_COLLECTION = "Blog images"
CREDENTIALS_FILE = settings.BASE_DIR / "var" / "demo-credentials.json"


class Command(BaseCommand):
    help = "Load the demo content (safe to run again: it only adds what is missing)."

    def handle(self, *args, **options):
        with transaction.atomic():
            users, passwords = self.load_users()
            users[content.BOT.username], bot_token = self.load_bot()
            images = self.load_photos(users)
            self.load_blog(users, images)
            self.load_rooms(users)
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

    def blog_collection(self) -> Collection:
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=BLOG_COLLECTION).first()
        return existing or root.add_child(instance=Collection(name=BLOG_COLLECTION))

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
            if collection.name != BLOG_COLLECTION:
                # Labelled by the person who chose the demo photos.
                image.cat_label = CatLabel.CAT if spec.is_cat else CatLabel.NOT_CAT
                image.cat_label_source = LabelSource.MODERATOR
                image.cat_labelled_at = timezone.now()
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
        for spec in content.POSTS:
            if BlogPage.objects.child_of(blog).filter(slug=spec.slug).exists():
                continue
            post = BlogPage(
                title=spec.title,
                slug=spec.slug,
                intro=spec.intro,
                date=today - timedelta(days=spec.days_ago),
                listing_image=images[spec.image],
                body=self.post_body(spec, images),
                owner=users[spec.author],
            )
            blog.add_child(instance=post)
            post.authors.set([users[spec.author]])
            post.tags.add(*spec.tags)
            post.save_revision(user=users[spec.author]).publish()
            self.stdout.write(f"Added post /blog/{spec.slug}/")

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
