"""What the whole process shares: the verified model and whether to take traffic."""

from dataclasses import dataclass

from predictor.loading import LoadedModel


@dataclass
class ServiceState:
    loaded: LoadedModel | None = None
    draining: bool = False

    @property
    def ready(self) -> bool:
        """Ready once the model is verified, and no longer once SIGTERM arrived."""
        return self.loaded is not None and not self.draining
