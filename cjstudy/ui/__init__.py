"""Everything that draws on the terminal (Rich renderables, screens, key reading)."""
