from wagtail import hooks
from wagtail.admin.menu import SubmenuMenuItem

from core.moderation import moderation_menu


@hooks.register("register_admin_menu_item")
def register_moderation_menu():
    """Shown to whoever may use at least one of its lists (moderators, admins)."""
    return SubmenuMenuItem(
        "Moderation", moderation_menu, name="moderation", icon_name="warning", order=250
    )
