-- Spark: the landing inventory the ingest wrote before dbt ran
-- (`social-warehouse ingest`, RAW_DIR/_landing_files/). On DuckDB the Python
-- model landing_files.py runs the ingest itself and this model is disabled.

select * from {{ source('landing_raw', 'landing_files') }}
