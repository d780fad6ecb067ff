"""Reads for lägesbild, scoped by the visibility rule. One module per part; import from the module."""
