from predictor.features import AIRLINES, CHALLENGE_EXAMPLE, FEATURE_NAMES, N_FEATURES, encode, valid_combinations


def test_the_model_has_37_features_in_get_dummies_order():
    assert N_FEATURES == 37
    assert FEATURE_NAMES[:23] == tuple(f"OPERA_{a}" for a in sorted(AIRLINES))
    assert FEATURE_NAMES[23:25] == ("TIPOVUELO_I", "TIPOVUELO_N")
    assert FEATURE_NAMES[25:] == tuple(f"MES_{m}" for m in range(1, 13))


def test_encode_sets_one_column_per_group():
    row = encode("Grupo LATAM", "N", 12)
    assert sum(row) == 3
    assert [FEATURE_NAMES[i] for i, x in enumerate(row) if x] == ["OPERA_Grupo LATAM", "TIPOVUELO_N", "MES_12"]


def test_there_are_552_distinct_valid_flights():
    combos = valid_combinations()
    assert len(combos) == len({tuple(c) for c in combos}) == 23 * 2 * 12


def test_challenge_example_is_a_37_long_binary_vector():
    assert len(CHALLENGE_EXAMPLE) == N_FEATURES
    assert set(CHALLENGE_EXAMPLE) == {0, 1}
