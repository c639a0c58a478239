"""The workflow steps, side by side, in the order a project runs them.

Each step takes a ``Project`` (and what the CLI parsed) and returns a plain
result for the CLI to print: ``extract`` → ``update`` → ``translate`` →
``check`` → ``publish``, and ``status`` at any time. None of them prints.
"""
