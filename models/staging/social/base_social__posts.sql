{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every landed row of every posts export kind in the registry (seeds/config/),
-- typed into the posts staging contract, with every defect of the row.
{{ base_entity('posts') }}
