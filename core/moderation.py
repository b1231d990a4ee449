"""The Wagtail admin's one "Moderation" menu, which every feature's lists join.

A feature registers its ModelViewSet / SnippetViewSet there by setting
``menu_hook = MODERATION_MENU_HOOK`` on the viewset (or by returning a MenuItem
from a ``@hooks.register(MODERATION_MENU_HOOK)`` function), in its own
wagtail_hooks.py, the way Wagtail's Settings and Reports menus take items.
"""

from wagtail.admin.menu import Menu

MODERATION_MENU_HOOK = "register_moderation_menu_item"

moderation_menu = Menu(
    register_hook_name=MODERATION_MENU_HOOK,
    construct_hook_name="construct_moderation_menu",
)
