{{ config(materialized='table', tags=['base']) }}
-- depends_on: {{ ref('social_accounts') }}, {{ ref('platforms') }}

-- Every synced row of the follower tables of every enabled connector (seed
-- connector_columns): follower totals and daily follows per account, typed into
-- the follows staging contract, with every defect of the row.
{{ base_connector_entity('follows') }}
