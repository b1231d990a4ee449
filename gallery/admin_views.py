"""The moderators' views in the Wagtail admin's "Moderation" menu: thin, over
gallery/services.py and gallery/moderation.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from gallery import moderation, services
from gallery.models import CatLabel, GalleryImage, LabelSource, LabelStatus

PER_PAGE = 50


class ModeratorView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        if not services.is_moderator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        # The admin's header shows the last breadcrumb: without this, "Home".
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class ReportedPhotosView(ModeratorView):
    """Photos members reported, open reports first."""

    page_title = "Reported photos"
    template_name = "gallery/admin/reported_photos.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        show_all = self.request.GET.get("show") == "all"
        photos = services.reported_photos()
        if not show_all:
            photos = photos.filter(reports__resolved_at__isnull=True).distinct()
        context["photos"] = Paginator(photos, PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        context["show_all"] = show_all
        return context


class ReportedPhotoView(ModeratorView):
    """One photo with its reports (reason, details, reporter), to hide, restore,
    keep or delete."""

    template_name = "gallery/admin/reported_photo.html"

    def get_page_title(self):
        return f"Reports: {self.photo.title}"

    def get_breadcrumbs_items(self):
        reports = {
            "url": reverse("gallery_moderation:reports"),
            "label": ReportedPhotosView.page_title,
        }
        return [
            *self.breadcrumbs_items,
            reports,
            {"url": "", "label": self.photo.title},
        ]

    def dispatch(self, request, *args, **kwargs):
        self.photo = get_object_or_404(GalleryImage.objects.uploads(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["photo"] = self.photo
        context["reports"] = self.photo.reports.select_related(
            "reporter", "resolved_by"
        ).order_by("-created_at")
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        photo = self.photo
        if action == "hide":
            services.hide_photo(request.user, photo)
            messages.success(
                request, f"“{photo.title}” is hidden from everyone but its owner."
            )
        elif action == "restore":
            services.restore_photo(request.user, photo)
            messages.success(request, f"“{photo.title}” is visible again.")
        elif action == "dismiss":
            services.dismiss_reports(request.user, photo)
            messages.success(
                request, f"Reports on “{photo.title}” closed; the photo stays."
            )
        elif action == "delete":
            services.delete_photo(request.user, photo)
            messages.success(request, f"“{photo.title}” is deleted.")
            return redirect("gallery_moderation:reports")
        else:
            messages.error(request, "Choose hide, restore, keep or delete.")
        return redirect("gallery_moderation:report", pk=photo.pk)


class CatLabelsView(ModeratorView):
    """Labelled photos, filtered by label, source, score band and the owners'
    suggestions, uncertain ones first; bulk "cat" / "not a cat"."""

    page_title = "Cat labels"
    template_name = "gallery/admin/cat_labels.html"
    header_icon = "image"

    def filters(self):
        keys = ("label", "source", "band", "suggested", "status")
        return {key: self.request.GET.get(key, "")[:20] for key in keys}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.filters()
        context["filters"] = filters
        context["photos"] = Paginator(
            moderation.label_queue(filters), PER_PAGE
        ).get_page(self.request.GET.get("p"))
        context["labels"] = CatLabel.choices
        context["sources"] = LabelSource.choices
        context["statuses"] = LabelStatus.choices
        context["bands"] = list(moderation.SCORE_BANDS)
        return context

    def post(self, request, *args, **kwargs):
        label = request.POST.get("label")
        ids = []
        for value in request.POST.getlist("photo")[:500]:
            try:
                ids.append(int(value))
            except ValueError:
                continue
        if label not in CatLabel.values or not ids:
            messages.error(
                request, "Tick some photos, then choose “Cat” or “Not a cat”."
            )
        else:
            photos = GalleryImage.objects.uploads().filter(pk__in=ids)
            count = services.label_photos(request.user, photos, label)
            messages.success(
                request,
                f"{count} photo{'s' if count != 1 else ''} labelled "
                f"“{CatLabel(label).label.lower()}” by a moderator.",
            )
        query = request.POST.get("query", "")
        url = reverse("gallery_moderation:labels")
        return redirect(f"{url}?{query}" if query else url)


class CatModelReportView(ModeratorView):
    """Each model version's precision, recall and confusion against the
    moderators' labels, and the corrections waiting to be trained on."""

    page_title = "Cat model report"
    template_name = "gallery/admin/cat_model_report.html"
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reports"] = moderation.version_reports()
        context["backlog"] = moderation.training_backlog()
        return context
