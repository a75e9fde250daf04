"""The model pipeline: import the team's pickle or retrain, prove the weights, write the artifacts.

It runs where the repository is checked out (`./task model:*`). scikit-learn and numpy are
needed only to retrain and to compare with scikit-learn's own predictions; the service needs
neither.
"""
