"""Groups and what they may do: Members stay out of the Wagtail admin; Editors and
Moderators get in and may add and choose images (gallery/migrations/0002)."""

from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

import pytest

from accounts.models import EDITORS_GROUP, MEMBERS_GROUP, MODERATORS_GROUP
from tests.factories.accounts import PASSWORD
from tests.factories.gallery import GalleryImageFactory

pytestmark = pytest.mark.django_db

NO_ADMIN = "You do not have permission to access the admin."


def image_policy():
    return policy_registry.get_by_type(get_image_model())


def test_the_three_groups_exist(groups):
    assert {MEMBERS_GROUP, EDITORS_GROUP, MODERATORS_GROUP} <= set(groups)


def test_members_group_has_no_admin_permissions(groups):
    codenames = set(
        groups[MEMBERS_GROUP].permissions.values_list("codename", flat=True)
    )
    assert "access_admin" not in codenames
    assert not groups[MEMBERS_GROUP].collection_permissions.exists()


def test_member_has_no_admin_access_or_image_permissions(member):
    assert not member.has_perm("wagtailadmin.access_admin")
    policy = image_policy()
    for action in ["add", "change", "choose"]:
        assert not policy.user_has_permission(member, action)


@pytest.mark.parametrize("path", ["/admin/", "/admin/images/", "/admin/pages/"])
def test_member_is_turned_away_from_the_admin(client, member, path):
    client.force_login(member)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_member_turned_away_from_the_admin_ends_on_the_site_not_in_a_loop(
    client, member
):
    client.force_login(member)

    # The test client raises RedirectCycleError if the redirects go round.
    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    final_path = response.redirect_chain[-1][0]
    assert not final_path.startswith("/admin/")
    assert not final_path.startswith("/accounts/login/")
    assert NO_ADMIN in response.content.decode()


def test_member_logging_in_with_next_admin_ends_on_the_site(client, member):
    response = client.post(
        "/accounts/login/",
        {
            "login": "wendy",
            "password": PASSWORD,
            "next": "/admin/",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(member.pk)
    assert not response.redirect_chain[-1][0].startswith(
        ("/admin/", "/accounts/login/")
    )
    assert NO_ADMIN in response.content.decode()


@pytest.fixture(params=["moderator", "editor"])
def staff(request):
    return request.getfixturevalue(request.param)


def test_moderators_and_editors_have_admin_access(client, staff):
    assert staff.has_perm("wagtailadmin.access_admin")
    client.force_login(staff)

    assert client.get("/admin/").status_code == 200


def test_moderators_and_editors_may_add_and_choose_images(staff):
    policy = image_policy()

    assert policy.user_has_permission(staff, "add")
    assert policy.user_has_permission(staff, "choose")
    assert policy.user_has_permission(staff, "change")


def test_moderators_and_editors_may_change_members_photos(staff, member):
    """The permissions sit on the root collection, so they reach members' albums."""
    photo = GalleryImageFactory(uploaded_by_user=member)
    policy = image_policy()

    assert policy.user_has_permission_for_instance(staff, "change", photo)
    assert policy.user_has_permission_for_instance(staff, "choose", photo)
    assert photo in policy.instances_user_has_permission_for(staff, "choose")


def test_moderators_and_editors_reach_the_image_views(client, staff, member):
    photo = GalleryImageFactory(uploaded_by_user=member, title="Ginger on the mat")
    client.force_login(staff)

    assert client.get("/admin/images/add/").status_code == 200
    listing = client.get("/admin/images/")
    assert listing.status_code == 200
    assert "Ginger on the mat" in listing.content.decode()
    assert client.get(f"/admin/images/{photo.pk}/").status_code == 200


def test_member_cannot_choose_or_change_even_their_own_photo_in_the_admin(member):
    photo = GalleryImageFactory(uploaded_by_user=member)
    policy = image_policy()

    assert not policy.user_has_permission_for_instance(member, "choose", photo)
    assert photo not in policy.instances_user_has_permission_for(member, "choose")
