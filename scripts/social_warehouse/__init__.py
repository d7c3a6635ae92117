"""Python tooling around the social marketing warehouse dbt project.

The project directory is `settings.project_dir()` (--project-dir, DBT_PROJECT_DIR or
the current directory), never where this package happens to be installed.
"""
