{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every landed row of every page_days export kind in the registry (seeds/config/),
-- typed into the page_days staging contract, with every defect of the row.
{{ base_entity('page_days') }}
