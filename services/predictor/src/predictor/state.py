"""What the whole process shares: the verified model and whether to take traffic."""

from collections.abc import Callable
from dataclasses import dataclass

from predictor.loading import LoadedModel


def _always() -> bool:
    return True


@dataclass
class ServiceState:
    loaded: LoadedModel
    started: bool = False
    draining: bool = False
    credentials_ready: Callable[[], bool] = _always  # False while JWT checks are on and no key is loaded

    @property
    def ready(self) -> bool:
        """Ready once the worker has started (model verified) and can check credentials, until SIGTERM."""
        return self.started and not self.draining and self.credentials_ready()
