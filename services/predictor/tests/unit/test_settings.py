import pytest

from predictor.settings import ENV_NAMES, Settings, SettingsError, load_settings


def test_defaults_serve_locally_with_one_worker():
    settings = load_settings({})
    assert (settings.host, settings.port, settings.web_concurrency) == ("127.0.0.1", 8000, 1)
    assert settings.model_path is None


def test_values_come_from_upper_case_variables():
    settings = load_settings({"PORT": "9000", "WEB_CONCURRENCY": "2", "MAX_BATCH_ROWS": "10", "HOST": ""})
    assert (settings.port, settings.web_concurrency, settings.max_batch_rows, settings.host) == (
        9000,
        2,
        10,
        "127.0.0.1",
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PORT": "abc"}, "PORT='abc': expected `int`"),
        ({"PORT": "70000"}, "PORT='70000': expected `int` <= 65535"),
        ({"WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY='0': expected `int` >= 1"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL='loud'"),
        ({"MODEL_SHA256": "zz", "MODEL_PATH": "/m.pkl"}, "MODEL_SHA256='zz'"),
        ({"MODEL_PATH": "/m.pkl"}, "MODEL_PATH and MODEL_SHA256 go together"),
        ({"METRICS_TOKEN_SHA256": "plaintext-token"}, "METRICS_TOKEN_SHA256: plaintex... is not a SHA-256"),
        ({"MAX_HEADER_BYTES": "100"}, "MAX_HEADER_BYTES='100': expected `int` >= 1024"),
    ],
)
def test_bad_values_name_the_variable(environ, message):
    with pytest.raises(SettingsError, match="^" + message.replace("(", r"\(").replace("$", r"\$")):
        load_settings(environ)


def test_every_field_is_read_from_an_upper_case_variable():
    assert set(ENV_NAMES) == set(Settings.__struct_fields__)
    assert all(name.isupper() for name in ENV_NAMES.values())
