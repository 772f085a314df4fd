"""Staff-allocation optimiser (Pyomo + HiGHS): data → build → solve → extract. Import from the submodules."""
