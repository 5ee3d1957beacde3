"""Nautobot settings for the plumbline lab. Everything that varies comes from the environment
that `test/lab` sets; nothing here is meant for production."""

import os

from nautobot.core.settings import *  # noqa: F401,F403
from nautobot.core.settings_funcs import is_truthy, parse_redis_connection

ALLOWED_HOSTS = os.environ["NAUTOBOT_ALLOWED_HOSTS"].split(" ")
SECRET_KEY = os.environ["NAUTOBOT_SECRET_KEY"]
INSTALLATION_METRICS_ENABLED = False
DEBUG = is_truthy(os.getenv("NAUTOBOT_DEBUG", "False"))

# The lab serves the API to the test suite and benchmarks only. Page size is left at Nautobot's
# defaults (PAGINATE_COUNT 50, MAX_PAGE_SIZE 1000) so that clients meet what customers run.
MAX_PAGE_SIZE = int(os.getenv("NAUTOBOT_MAX_PAGE_SIZE", "1000"))

# Redis database numbers of the lab's own, so that resetting the lab never flushes anybody else's
# keys on a shared Redis. The Celery broker URL comes from NAUTOBOT_CELERY_BROKER_URL.
CACHES["default"]["LOCATION"] = parse_redis_connection(
    redis_database=int(os.getenv("PLUMBLINE_LAB_REDIS_CACHE_DB", "11"))
)

PLUGINS = ["nautobot_plugin_nornir", "nautobot_golden_config"]
PLUGINS_CONFIG = {
    "nautobot_plugin_nornir": {
        "use_config_context": {"secrets": False, "connection_options": False},
        "nornir_settings": {
            "credentials": "nautobot_plugin_nornir.plugins.credentials.nautobot_secrets.CredentialsNautobotSecrets",
            "runner": {"plugin": "threaded", "options": {"num_workers": 4}},
        },
    },
    "nautobot_golden_config": {
        "per_feature_bar_width": 0.15,
        "per_feature_width": 13,
        "per_feature_height": 4,
        "enable_backup": True,
        "enable_compliance": True,
        "enable_intended": True,
        "enable_sotagg": True,
        "enable_plan": True,
        "enable_deploy": True,
        "enable_postprocessing": False,
    },
}
