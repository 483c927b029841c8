"""Application services: use cases shared by the CLI, the web app and reports."""
