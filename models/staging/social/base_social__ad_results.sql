{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every landed row of every ad_results export kind in the registry (seeds/config/):
-- the ad managers' exports (Meta Ads Manager, LinkedIn Campaign Manager), typed
-- into the ad_results staging contract, with every defect of the row.
{{ base_entity('ad_results') }}
