"""Settings, read once from the environment (prefix ``FAIRSHARE_``) at start-up.

Pure code never reads settings; shells (CLI, endpoints, workers) read them and pass values down.
"""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAIRSHARE_")

    # Seconds to wait for a calendar URL before giving up with a clear message.
    calendar_fetch_timeout: float = 15.0
    # Largest calendar accepted from a URL or file, so a wrong URL cannot exhaust memory.
    calendar_max_bytes: int = 20 * 1024 * 1024
    # Wall-clock cap on one solve; the plan returned is the best found by then.
    solver_time_limit: float = 30.0


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
