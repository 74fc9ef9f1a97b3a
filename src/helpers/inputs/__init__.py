"""What the organ writes by hand: parameters, the narrative text, the report declaration."""
