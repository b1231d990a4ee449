"""The blog's moderation: a "Moderator approval" workflow with one
GroupApprovalTask for the Moderators group, assigned to every blog index (new
ones get it from blog/signals.py). Moderators' page permissions move from the
whole tree to the blog: edit posts in review, publish, unlock. Wagtail's own
"Moderators approval" workflow on the root page stays as it is.
"""

from django.db import migrations

WORKFLOW_NAME = "Moderator approval"
TASK_NAME = "Moderators approve blog posts"
MODERATOR_PAGE_PERMISSIONS = ("change_page", "publish_page", "unlock_page")


def set_up(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    BlogIndexPage = apps.get_model("blog", "BlogIndexPage")

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(
        name=TASK_NAME, content_type=task_type, active=True
    )
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    page_permissions = {
        permission.codename: permission
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore",
            codename__in=[*MODERATOR_PAGE_PERMISSIONS, "add_page", "lock_page"],
        )
    }
    # Moderators review the blog; editors look after the rest of the tree.
    GroupPagePermission.objects.filter(group=moderators, page__depth=1).delete()
    for index in BlogIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(
            page_id=index.pk, defaults={"workflow": workflow}
        )
        for codename in MODERATOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=moderators,
                page_id=index.pk,
                permission=page_permissions[codename],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0002_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(set_up, migrations.RunPython.noop)]
