{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every landed row of every follows export kind in the registry (seeds/config/),
-- typed into the follows staging contract, with every defect of the row.
{{ base_entity('follows') }}
