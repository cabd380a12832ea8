"""Domain rules of envoybot: plain Python, no telegram, no aiosqlite."""
