"""The suite's one seed: every behaviour's scenario runs after ``seed(SEED)``, and
repros read it from ``LAZYINIT_SEED``. Below the runner and the scenarios, so both
import it at the top."""
SEED = 20240101
