"""Browser tests: environment shared by every class in this folder.

The live server and Chromium are set up per class by tests/browser/base.py.
"""

import pytest

# Known password for the demo accounts, so load_demo_data neither generates one
# nor rewrites var/demo-credentials.json.
DEMO_PASSWORD = "whiskers-browser-test-password"


@pytest.fixture(scope="class", autouse=True)
def _browser_environment():
    """Playwright's sync API keeps an event loop running in this thread, so Django
    would refuse the ORM calls the tests make (database set-up, flush, checks)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        patch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
        yield
