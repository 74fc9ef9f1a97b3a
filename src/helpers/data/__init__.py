"""Raw tables → checked tables: the data contract, reading files, checking them, the table cache."""
