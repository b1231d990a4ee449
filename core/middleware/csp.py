"""django-csp's middleware with one policy for the public site and one for the admin."""

from django.conf import settings

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from csp.utils import default_config


class CSPMiddleware(BaseCSPMiddleware):
    """The public policy (settings.CSP_DIRECTIVES) everywhere, except under
    CSP_ADMIN_PATH_PREFIX, where the Wagtail admin gets CSP_ADMIN_DIRECTIVES. The
    same choice holds in report-only mode (CSP_REPORT_ONLY_MODE)."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        active = (
            settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
            if report_only
            else settings.CONTENT_SECURITY_POLICY
        )
        if (
            active
            and parts.config is None
            and request.path_info.startswith(settings.CSP_ADMIN_PATH_PREFIX)
        ):
            parts.config = default_config(settings.CSP_ADMIN_DIRECTIVES)
        return parts
