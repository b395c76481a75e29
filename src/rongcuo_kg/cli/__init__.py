"""The `rongcuo-kg` command: a thin face over the library, one module per group of commands."""
