"""The bench: what the conformance run costs on top of the framework's own work
(``python bench/run.py``; each module is named for what it measures)."""
