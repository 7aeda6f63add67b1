"""Run every benchmark and rewrite its results file under ``benchmarks/results/``."""

import importlib

BENCHMARKS = ("benchmarks.ingestion", "benchmarks.solver")


def main() -> None:
    for name in BENCHMARKS:
        print(f"== {name}")
        importlib.import_module(name).main()


if __name__ == "__main__":
    main()
