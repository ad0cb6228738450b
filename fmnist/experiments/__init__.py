"""The experiments: which trainings to run, in which worker processes, and where their results go.

- `cv`: the k-fold cross-validation of one configuration (Table I), resumable.
- `testset`: a configuration's official-test run.
- `sweep`: the paper's Future Work grid of filters and padding.
- `better_cnn`: the better CNN's ablation, one choice at a time on fold 1.
- `seeds`: the noise study: Table I at many seeds and with other training loops.
- `runs`: one call that finds a configuration's results (computed, recorded) or computes them.
- `executor` and `schedule`: the worker processes and the share of epochs each one trains.

Nothing here changes a number: the numbers are the engine's (`fmnist.engine`).
"""
