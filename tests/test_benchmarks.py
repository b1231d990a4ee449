"""The benchmark scripts still start: they run outside the test suite, so a change
to the settings can break them unseen (the chat benchmark stopped at start-up when
production began to insist on REDIS_URL)."""

import pytest

from tests.processes import run_python

SCRIPTS = ["chat", "classifier", "comments", "gallery", "pages", "uploads"]


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_script_explains_itself(name):
    result = run_python(f"benchmarks/{name}.py", "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_the_chat_benchmark_sets_up_production_settings_without_redis():
    result = run_python(
        "-c",
        "import benchmarks.chat as bench; bench.setup_django();"
        " from django.conf import settings;"
        " print(settings.DEBUG, settings.CHANNEL_LAYERS['default']['BACKEND'])",
        scrub={"REDIS_URL"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "channels.layers.InMemoryChannelLayer"]
