"""The entry point of every ``shard_init`` child process (group sharded):
``python -m adapters.shard_child MODULE:FUNCTION REQUEST OUT [ARG...]`` runs
``FUNCTION(request, load, *ARG)`` of a framework's sharded module, where ``load()``
returns the adapter the request names (``request["adapter"]``, through the registry),
and pickles back its result, its ``Unsupported`` or its error
(``shard_process.child_main``). The adapter modules start it by name and never import
it, so the registry that loads them stays above them (no import circle)."""
from __future__ import annotations

import importlib
import sys

from adapters import adapter_class
from adapters.shard_process import child_main


def main(argv) -> int:
    module, _, function = argv[0].partition(":")
    work = getattr(importlib.import_module(module), function)
    return child_main(argv[1:3], lambda request: work(
        request, lambda: adapter_class(request["adapter"])(), *argv[3:]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
