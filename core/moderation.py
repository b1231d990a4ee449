"""The Wagtail admin's one "Moderation" menu, which every feature's lists join.

A feature registers its ModelViewSet / SnippetViewSet there by setting
``menu_hook = MODERATION_MENU_HOOK`` on the viewset (or by returning a MenuItem
from a ``@hooks.register(MODERATION_MENU_HOOK)`` function), in its own
wagtail_hooks.py, the way Wagtail's Settings and Reports menus take items.
"""

from wagtail.admin.menu import Menu
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

MODERATION_MENU_HOOK = "register_moderation_menu_item"

moderation_menu = Menu(
    register_hook_name=MODERATION_MENU_HOOK,
    construct_hook_name="construct_moderation_menu",
)


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """For what members make on the site (comments, messages, reports): the
    moderation lists may view, change or delete them, never add one."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "add"])


def made_on_the_site(model) -> None:
    """Register NoAddPermissionPolicy for ``model`` (before its viewset)."""
    register_permission_policy(model, NoAddPermissionPolicy(model))
