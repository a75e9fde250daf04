"""A plain Litestar app with a typed handler: the framework's usual way, with the service's model.

The model is the service's verified artifact (predictor.loading.load_model) and the request type
its msgspec schema, so against our service only the request path differs: Litestar's per-request
machinery here, the service's straight path there
(docs/decisions/0001-litestar-msgspec-and-a-straight-prediction-path.md).

    uvicorn --app-dir loadtests/reference litestar_typed:app --loop uvloop --http httptools --no-access-log
"""

from litestar import Litestar, post

from predictor.loading import load_model
from predictor.schemas import Predictions, PredictRequest

model = load_model().model


@post("/api", status_code=200)
async def predict(data: PredictRequest) -> Predictions:
    return Predictions([model.predict_one(data.array)])


app = Litestar([predict], openapi_config=None)
