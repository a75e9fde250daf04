"""What the whole process shares: the verified model and whether to take traffic."""

from dataclasses import dataclass

from predictor.loading import LoadedModel


@dataclass
class ServiceState:
    loaded: LoadedModel
    started: bool = False
    draining: bool = False

    @property
    def ready(self) -> bool:
        """Ready once the worker has started (model verified, keys fetched), until SIGTERM arrives."""
        return self.started and not self.draining
