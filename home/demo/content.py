"""The demo content that `manage.py load_demo_data` loads, and the credits page shows.

Photos are openly licensed (see photos/SOURCES.md for where each came from);
CC BY and CC BY-SA ones need the visible credit kept in ``credit``.
"""

from dataclasses import dataclass, field
from pathlib import Path

PHOTO_DIR = Path(__file__).parent / "photos"

CC0 = ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/")
PUBLIC_DOMAIN = ("Public domain", "https://creativecommons.org/publicdomain/mark/1.0/")
CC_BY_2 = ("CC BY 2.0", "https://creativecommons.org/licenses/by/2.0/")
CC_BY_SA_3 = ("CC BY-SA 3.0", "https://creativecommons.org/licenses/by-sa/3.0/")
UNSPLASH = ("Unsplash License", "https://unsplash.com/license")


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    email: str
    role: str  # "admin", "moderator" or "member"
    bio: str = ""
    avatar: str = ""  # a file in PHOTO_DIR


@dataclass(frozen=True)
class DemoPhoto:
    file: str
    title: str
    description: str  # alt text
    caption: str
    owner: str
    tags: tuple[str, ...]
    credit: str
    licence: tuple[str, str]
    changes: str = "Resized."

    @property
    def path(self) -> Path:
        return PHOTO_DIR / self.file


@dataclass(frozen=True)
class DemoPost:
    slug: str
    title: str
    intro: str
    author: str
    image: str  # a DemoPhoto.file from PHOTOS or BLOG_IMAGES
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    days_ago: int = 0
    heading: str = ""
    quote: str = ""
    body_image: str = ""  # a second picture inside the post
    # Where the post stands: "published", "draft", "in_review",
    # "changes_requested" (with review_comment from the moderator), or
    # "published_with_review" (published, and a newer revision adding `update`
    # waits for a moderator).
    state: str = "published"
    review_comment: str = ""
    update: str = ""


@dataclass(frozen=True)
class DemoRoom:
    slug: str
    name: str
    description: str
    is_public: bool = True
    messages: tuple[tuple[str, str], ...] = field(default_factory=tuple)


USERS = [
    DemoUser(
        "admin",
        "Ada Admin",
        "admin@whiskers.localhost",
        "admin",
        "Keeps the lights on at Whiskers.",
    ),
    DemoUser(
        "moderator",
        "Mo Moderator",
        "moderator@whiskers.localhost",
        "moderator",
        "Reviews posts and keeps the peace.",
    ),
    DemoUser(
        "wendy",
        "Wendy Whiskerfan",
        "wendy@whiskers.localhost",
        "member",
        "Two tabbies, one sofa, no regrets. I write about cat naps and the people who envy them.",
        avatar="cat-01.jpg",
    ),
    DemoUser(
        "percy",
        "Percy Purrfect",
        "percy@whiskers.localhost",
        "member",
        "Baker by day, cat photographer by night. Dogs welcome too.",
        avatar="cat-04.jpg",
    ),
]

# The chat bot: no password (it signs in with its API token only); load_demo_data
# prints its token and the scripts/chat_bot.py command that posts with it.
BOT = DemoUser(
    "whiskersbot",
    "Whiskers Bot",
    "bot@whiskers.localhost",
    "bot",
    "I post reminders in chat through the API (scripts/chat_bot.py). Beep.",
)

PHOTOS = [
    DemoPhoto(
        "cat-01.jpg",
        "Chelsea up close",
        "Close-up of a ginger tabby cat's face with green eyes",
        "Chelsea gives the camera her best unimpressed look.",
        "wendy",
        ("tabby", "portrait"),
        '"Chelsea the cat" by Stefan van der Walt',
        CC0,
    ),
    DemoPhoto(
        "cat-02.jpg",
        "First snow",
        "A brown tabby cat walking on snow, looking back at the camera",
        "Ten months old and her first snow. She was not convinced.",
        "percy",
        ("tabby", "snow", "outdoors"),
        '"Domestic cat, a ten month old female" by Von.grzanka, via Wikimedia Commons',
        CC_BY_SA_3,
        "Cropped by tracel-ai/burn; resized.",
    ),
    DemoPhoto(
        "cat-03.jpg",
        "Chair, claimed",
        "A grey tabby cat lounging on a wooden chair, paws over the rail",
        "This chair belonged to me once. Not any more.",
        "wendy",
        ("tabby", "naps", "indoors"),
        "Photo by Kari Shea on Unsplash",
        UNSPLASH,
    ),
    DemoPhoto(
        "cat-04.jpg",
        "Amber eyes",
        "A white long-haired Turkish Angora cat with amber eyes",
        "Snow-white fur, amber eyes, zero interest in being photographed.",
        "percy",
        ("angora", "portrait"),
        "Turkish Angora photo by Jean Beaufort",
        CC0,
    ),
    DemoPhoto(
        "cat-05.jpg",
        "Sunbeam sentry",
        "A blue-grey Korat cat sitting upright in sunlight by a white wall",
        "Guarding the only sunbeam in the flat.",
        "wendy",
        ("korat", "sunshine", "indoors"),
        "Veda Napha Naramit, via Wikimedia Commons",
        PUBLIC_DOMAIN,
    ),
    DemoPhoto(
        "cat-06.jpg",
        "Over the shoulder",
        "A spotted Egyptian Mau cat with a collar looking over its shoulder",
        "Spotted: one Egyptian Mau, mid-patrol.",
        "percy",
        ("mau", "spots"),
        '"Egyptian Mau" by liz west from Boxborough, MA, via Wikimedia Commons',
        CC_BY_2,
    ),
    DemoPhoto(
        "cat-07.jpg",
        "Garden blue eyes",
        "A fluffy colour-point cat with blue eyes, garden behind",
        "Blue eyes and a very fluffy coat, out in the garden.",
        "wendy",
        ("colourpoint", "outdoors", "portrait"),
        "Photo by Eric Sonstroem",
        CC_BY_2,
        "Cropped by CatBreedsIB; resized.",
    ),
    DemoPhoto(
        "cat-08.jpg",
        "Warmest seat in the house",
        "A long-haired tabby cat sitting on top of a set-top box",
        "The set-top box is warm, therefore it is a bed.",
        "percy",
        ("tabby", "naps", "indoors"),
        "Whjayg (assumed), via Wikimedia Commons",
        PUBLIC_DOMAIN,
    ),
    DemoPhoto(
        "dog-01.jpg",
        "Café beagle",
        "A beagle puppy in a harness sitting on a white café table",
        "Our neighbour's beagle, who thinks he is a cat.",
        "percy",
        ("dogs", "puppy"),
        "Pexels photo 452772",
        CC0,
    ),
    DemoPhoto(
        "dog-02.jpg",
        "Big hug",
        "A young woman hugging a large fawn dog standing on its hind legs",
        "Some friends are taller than others.",
        "wendy",
        ("dogs", "friends"),
        "Pexels photo 532310",
        CC0,
    ),
    DemoPhoto(
        "dog-03.jpg",
        "Stick negotiations",
        "A foxhound and a black Labrador playing with a stick on grass",
        "Two dogs, one stick, no agreement.",
        "percy",
        ("dogs", "outdoors"),
        '"American Foxhound and Labrador Retriever playing" by Peter Wadsworth (Flickr), via Wikimedia Commons',
        CC_BY_2,
    ),
    DemoPhoto(
        "dog-04.jpg",
        "Tiny terrier",
        "A long-haired Yorkshire Terrier standing on a wooden deck",
        "Small dog, big opinions.",
        "wendy",
        ("dogs",),
        "Portraitlady4306, via Wikimedia Commons",
        PUBLIC_DOMAIN,
    ),
    DemoPhoto(
        "dog-05.jpg",
        "Puppy pile",
        "Two brown-and-white puppies asleep side by side on an orange blanket",
        "Nap time is universal.",
        "percy",
        ("dogs", "naps", "puppy"),
        '"Sleeping Pups" by Bev Sykes from Davis, CA, USA (Flickr), via Wikimedia Commons',
        CC_BY_2,
    ),
    DemoPhoto(
        "scene-02.jpg",
        "Pizza night",
        "A pepperoni pizza on a plate, close-up",
        "The cats were very interested in this one.",
        "wendy",
        ("food",),
        "Pexels photo 774487",
        CC0,
    ),
    DemoPhoto(
        "scene-04.jpg",
        "Yellow cabs",
        "A New York street with yellow taxis between tall office buildings",
        "Not a cat in sight on this street.",
        "percy",
        ("city", "travel"),
        "Pexels photo 8247",
        CC0,
    ),
    DemoPhoto(
        "scene-06.jpg",
        "Inside the wave",
        "A surfer riding inside a large turquoise breaking wave",
        "Cats hate water. This is what they are missing.",
        "wendy",
        ("travel", "sea"),
        "Pexels photo 416676",
        CC0,
    ),
]

BLOG_IMAGES = [
    DemoPhoto(
        "scene-01.jpg",
        "Espresso on the table",
        "An espresso in a red cup and saucer on a wooden table",
        "",
        "admin",
        ("coffee",),
        "Photo by Rachel Michetti, courtesy of Pikolo Espresso Bar",
        CC0,
    ),
    DemoPhoto(
        "scene-03.jpg",
        "Loaves on checked cloth",
        "Baskets of bread loaves and rolls on red-and-white cloths",
        "",
        "admin",
        ("baking",),
        "From the Wagtail bakery demo (public domain)",
        PUBLIC_DOMAIN,
        "Resized.",
    ),
    DemoPhoto(
        "scene-07.jpg",
        "Two friends cycling",
        "Two smiling women riding bicycles along a leafy path",
        "",
        "admin",
        ("cycling",),
        "Pixabay",
        CC0,
    ),
]

POSTS = [
    DemoPost(
        "welcome-to-whiskers",
        "Welcome to Whiskers",
        "Whiskers is a home for cat people: a blog, a photo gallery, a cat zone and a chat, with one account for all of it.",
        "admin",
        "scene-01.jpg",
        ("news", "community"),
        (
            "Pour yourself a coffee and have a look around. The <b>blog</b> is where members write longer stories; "
            "every post is read by a moderator before it goes live, so what you find here is friendly and on topic.",
            "The <b>gallery</b> is everyone's photos in one feed. The <b>cat zone</b> picks out the cats, and the "
            "<b>chat</b> is where we talk it all over in real time.",
            "Sign up to post, comment and share photos. Reading is free for everyone.",
        ),
        days_ago=6,
        heading="How it works",
        quote="Time spent with cats is never wasted.",
    ),
    DemoPost(
        "what-our-cats-taught-us-about-naps",
        "What our cats taught us about naps",
        "Sixteen hours a day, in any position, on any surface. A short field guide to the feline nap.",
        "wendy",
        "cat-03.jpg",
        ("naps", "behaviour"),
        (
            "Cats sleep twelve to sixteen hours a day, and they are not shy about where. The chair you were about to "
            "sit on, the warm top of the router, the exact middle of the bed: all fair game.",
            "The trick, as far as we can tell, is commitment. A cat never half-naps. Watch one settle and you will see "
            "a small ritual: a turn, a knead, a second turn, and then total surrender.",
            "We tried it. It works, as long as nobody needs you for the rest of the afternoon.",
        ),
        days_ago=3,
        heading="The ritual",
        state="published_with_review",
        update="Update: a reader asked about kittens. They sleep even more, up to twenty hours a day, "
        "and they do it in the most unlikely places.",
    ),
    DemoPost(
        "keeping-cats-off-the-bread",
        "Keeping cats off the bread",
        "A baker's honest guide to sharing a kitchen with a cat who loves warm dough.",
        "percy",
        "scene-03.jpg",
        ("baking", "behaviour"),
        (
            "Warm dough is, to a cat, the best bed ever invented. It is soft, it is warm, and it rises to meet you.",
            "After three ruined loaves we moved proving to the oven (off, with the light on). The cat now sleeps on top "
            "of the oven instead, which is a compromise we can all live with.",
        ),
        days_ago=1,
        quote="A kitchen without a cat is just a room with an oven.",
    ),
    DemoPost(
        "cycling-with-a-cat-basket",
        "Cycling with a cat basket",
        "Some cats love a ride in the basket. Ours made it very clear that she does not.",
        "wendy",
        "scene-07.jpg",
        ("outdoors", "adventures"),
        (
            "The internet is full of cats riding happily in bicycle baskets. We bought a basket, a harness and a "
            "cushion, and planned a gentle ride along the river.",
            "We got as far as the garden gate. The cat is fine; the cushion is now hers, indoors, where it belongs.",
        ),
        days_ago=0,
    ),
    DemoPost(
        "adopting-an-older-cat",
        "Adopting an older cat",
        "Everyone wants a kitten. Here is why our best decision was a twelve-year-old called Biscuit.",
        "wendy",
        "cat-04.jpg",
        ("adoption", "senior cats"),
        (
            "The shelter had eleven kittens and one elderly gentleman who had been waiting for a home for a year. "
            "Biscuit was calm, polite and already house-trained.",
            "Older cats know who they are. What you see on the first day is what you get, and what we got was the "
            "gentlest lap cat we have ever known.",
        ),
        state="in_review",
    ),
    DemoPost(
        "ten-toys-under-five-pounds",
        "Ten cat toys under five pounds",
        "Cheap, cheerful and cat-approved: the toys our cats still play with after a month.",
        "percy",
        "cat-06.jpg",
        ("toys", "budget"),
        (
            "A feather wand, a paper bag, a cardboard tunnel and a ping-pong ball cover most of it. The rest is a "
            "matter of taste, and our cats have strong opinions.",
        ),
        state="changes_requested",
        review_comment="Lovely list! Please say where readers can buy the feather wand, and check the price "
        "of the tunnel: it looks like more than five pounds now.",
    ),
    DemoPost(
        "the-great-cardboard-box-debate",
        "The great cardboard box debate",
        "Why does a cat ignore the bed you bought and sleep in the box it came in?",
        "percy",
        "scene-02.jpg",
        ("behaviour",),
        (
            "Notes so far: boxes are warm, boxes are safe, and boxes are free. More to come once I've watched "
            "the cat a bit longer.",
        ),
        state="draft",
    ),
]


@dataclass(frozen=True)
class DemoComment:
    """A comment on a post ("post:<slug>") or a photo ("photo:<file>"), with replies."""

    on: str
    author: str
    text: str
    replies: tuple["DemoComment", ...] = ()
    liked_by: tuple[str, ...] = ()
    flagged_by: tuple[str, ...] = ()


COMMENTS = [
    DemoComment(
        "post:what-our-cats-taught-us-about-naps",
        "percy",
        "The knead-turn-knead ritual is so true. Ours adds a sigh at the end.",
        liked_by=("wendy", "admin"),
        replies=(
            DemoComment(
                "",
                "wendy",
                "The sigh is the best part. It means the nap has officially started.",
                liked_by=("percy",),
                replies=(
                    DemoComment(
                        "", "percy", "Filed under: things I should also do more often."
                    ),
                ),
            ),
        ),
    ),
    DemoComment(
        "post:keeping-cats-off-the-bread",
        "wendy",
        "Proving in the oven with the light on is genius. Stealing this idea.",
        liked_by=("percy",),
    ),
    DemoComment(
        "post:keeping-cats-off-the-bread",
        "admin",
        "BUY CHEAP CAT FOOD NOW at totally-not-spam.example!!!",
        flagged_by=("wendy", "percy"),
    ),
    DemoComment(
        "photo:cat-01.jpg",
        "percy",
        "That unimpressed look is perfect.",
        liked_by=("wendy",),
        replies=(DemoComment("", "wendy", "She practises it in the mirror."),),
    ),
    DemoComment(
        "photo:dog-01.jpg",
        "wendy",
        "A beagle who thinks he's a cat: we need more photos.",
    ),
]

ROOMS = [
    DemoRoom(
        "general",
        "General",
        "Say hello, share news, talk about anything (mostly cats).",
        messages=(
            (
                "wendy",
                "Morning all! The tabbies have claimed the sunny windowsill again.",
            ),
            ("percy", "Ours is asleep on the warm oven. Bread is delayed."),
            (
                "moderator",
                "Welcome to Whiskers chat, everyone. Be kind, and post photos in the gallery!",
            ),
            (
                "whiskersbot",
                "Beep! Feeding time reminder: fresh water in the bowls, everyone. "
                "(I am a bot: see the Chat API section of the README.)",
            ),
        ),
    ),
    DemoRoom(
        "cat-care",
        "Cat care",
        "Food, health, toys and vets: ask the community.",
        messages=(
            ("percy", "Any tips for a cat who will only drink from the tap?"),
            (
                "wendy",
                "A little water fountain worked for us. Running water is the secret.",
            ),
        ),
    ),
    DemoRoom(
        "members-lounge",
        "Members' lounge",
        "For signed-in members only.",
        is_public=False,
        messages=(("wendy", "Members only, so no lurkers. Hello!"),),
    ),
]


# Who likes which demo photo (member, photo file), and the one report that waits
# for a moderator after `make run`.
LIKES = [
    ("percy", "cat-01.jpg"),
    ("percy", "cat-03.jpg"),
    ("percy", "cat-05.jpg"),
    ("wendy", "cat-02.jpg"),
    ("wendy", "cat-06.jpg"),
    ("wendy", "dog-01.jpg"),
    ("moderator", "cat-01.jpg"),
    ("moderator", "cat-04.jpg"),
    ("admin", "cat-07.jpg"),
]


@dataclass(frozen=True)
class DemoReport:
    reporter: str
    photo: str  # a DemoPhoto.file
    reason: str  # a gallery.models.ReportReason value
    details: str = ""


REPORTS = [
    DemoReport(
        "percy",
        "scene-02.jpg",
        "other",
        "A pizza is not a pet. Does this belong in the gallery?",
    ),
]
