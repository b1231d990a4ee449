from django.contrib.auth.models import Group

import factory

from accounts.models import MEMBERS_GROUP, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A member: signed up, in the Members group, password PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    display_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create:
            names = [MEMBERS_GROUP] if extracted is None else extracted
            self.groups.add(*Group.objects.filter(name__in=names))
