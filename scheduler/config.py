"""Settings, read once from the environment (prefix ``FAIRSHARE_``) at start-up.

Pure code never reads settings; shells (CLI, endpoints, workers) read them and pass values down.
"""

from functools import lru_cache

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from scheduler.errors import SettingsError

ENV_PREFIX = "FAIRSHARE_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX)

    # Seconds to wait for a calendar URL before giving up with a clear message.
    calendar_fetch_timeout: float = Field(15.0, gt=0)
    # Largest calendar accepted from a URL or file, so a wrong URL cannot exhaust memory.
    calendar_max_bytes: int = Field(20 * 1024 * 1024, gt=0)
    # How long one solve may search, in seconds of the benchmark's machine; the plan returned is
    # the best found by then. Counted in CP-SAT's deterministic time, so a slower machine takes
    # longer for the same plan (see ``scheduler.solver.search.Clock``).
    solver_time_limit: float = Field(30.0, gt=0)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        # One line naming the variable as the operator set it, not pydantic's report.
        problem = error.errors()[0]
        field = str(problem["loc"][0])
        default = Settings.model_fields[field].default
        raise SettingsError(
            f"{ENV_PREFIX}{field.upper()}: {problem['input']!r} is not usable "
            f"({problem['msg'].lower()}); set a number greater than 0, or unset it for the "
            f"default ({default})"
        ) from None
