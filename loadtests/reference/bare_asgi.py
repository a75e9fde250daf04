"""The bare-ASGI ceiling: the least a Python server can do per prediction, with the service's model.

No framework, no telemetry, no content-type or size checks: read the body, decode it with the
service's msgspec schema, predict, answer. What uvicorn, HTTP parsing and the model cost together
with nothing else; our service's distance from it is what its framework, checks and telemetry cost.

    uvicorn --app-dir loadtests/reference bare_asgi:app --loop uvloop --http httptools --no-access-log
"""

import msgspec

from predictor.loading import load_model
from predictor.schemas import PredictRequest

model = load_model().model
decode = msgspec.json.Decoder(PredictRequest).decode
ANSWERS = (b'{"predicciones":[0]}', b'{"predicciones":[1]}')


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    try:
        status, answer = 200, ANSWERS[model.predict_one(decode(body).array)]
    except msgspec.DecodeError:  # malformed JSON or a body that breaks the schema
        status, answer = 422, b'{"error":"invalid_body"}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(answer)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": answer})
