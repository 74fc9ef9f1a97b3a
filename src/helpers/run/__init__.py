"""The yearly run: keys and reuse, chapter notebooks in kernels, processes, publishing."""
