"""Forms for lägesbild, one module per part; import from the module."""
