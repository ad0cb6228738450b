"""The analysis: tables, statistics and figures computed from saved results only.

- `table_one`: Table I beside the paper's, and the verdict on agreement.
- `significance`: paired differences between runs of the same folds, Holm's correction.
- `noise`: the noise study's statistics over seeds (intervals, equivalence, fold order).
- `test_scores`: official-test scores, confusion matrix, per-class scores, mistakes.
- `sweep_results`: the Future Work sweep's numbers and the conjecture's verdict.
- `ablation_results`: the better CNN's ablation table.
- `dataset_summary`, `model_summary`: the data and method pages' tables.
- `figures`: the book's figures, one module per subject.

It imports neither the engine nor the experiments: nothing here trains.
"""
