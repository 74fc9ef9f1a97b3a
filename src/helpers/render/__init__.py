"""Figures and text → what readers get: the chapter text, notebook outputs, HTML, PDF, Word."""
