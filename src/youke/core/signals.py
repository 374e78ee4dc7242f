from django.conf import settings
from django.core.management import call_command


def create_cache_table(sender, **kwargs) -> None:
    """The default install keeps its cache (log-in rate limits) in the database."""
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)
