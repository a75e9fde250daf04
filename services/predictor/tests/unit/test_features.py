import pytest

from predictor.features import CHALLENGE_EXAMPLE, N_FEATURES, TEAM, TEAM_COLUMNS, ColumnsError, FeatureSpace


def test_the_team_model_has_37_features_in_get_dummies_order():
    assert N_FEATURES == 37
    assert TEAM.airlines == tuple(sorted(TEAM.airlines)) and len(TEAM.airlines) == 23
    assert TEAM.flight_types == ("I", "N")
    assert TEAM.months == tuple(range(1, 13))
    assert TEAM.names == TEAM_COLUMNS


def test_encode_sets_one_column_per_group():
    row = TEAM.encode("Grupo LATAM", "N", 12)
    assert [TEAM.names[i] for i, x in enumerate(row) if x] == ["OPERA_Grupo LATAM", "TIPOVUELO_N", "MES_12"]
    assert TEAM.is_flight(row)


def test_there_are_552_distinct_valid_flights():
    combos = TEAM.valid_combinations()
    assert len(combos) == len({tuple(c) for c in combos}) == 23 * 2 * 12
    assert all(TEAM.is_flight(row) for row in combos)


def test_the_challenge_example_is_a_37_long_binary_vector_but_not_a_flight():
    assert len(CHALLENGE_EXAMPLE) == N_FEATURES
    assert set(CHALLENGE_EXAMPLE) == {0, 1}
    assert not TEAM.is_flight(list(CHALLENGE_EXAMPLE))  # three months are set
    assert not TEAM.is_flight([0] * N_FEATURES)


def test_a_feature_space_comes_from_names_alone():
    space = FeatureSpace.from_names(["OPERA_A", "OPERA_B", "TIPOVUELO_I", "MES_1", "MES_2"])
    assert space.encode("B", "I", 2) == [0, 1, 1, 0, 1]
    assert len(space.valid_flights()) == 4


@pytest.mark.parametrize(
    "names",
    [["OPERA_A", "COLOR_red"], ["MES_1", "OPERA_A", "TIPOVUELO_I"], ["OPERA_A", "TIPOVUELO_I", "MES_x"]],
)
def test_names_that_are_not_grouped_one_hot_columns_are_refused(names):
    with pytest.raises(ColumnsError):
        FeatureSpace.from_names(names)
