"""One module per metric kind (exp_assets/metrics/kind.py says what a kind declares)."""
