"""Unit-cost model: productivity, cost per person on benefit and per task, peer benchmarks. Import from the submodules."""
