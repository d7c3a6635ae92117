{{ config(materialized='table', tags=['base']) }}
-- depends_on: {{ ref('social_accounts') }}, {{ ref('platforms') }}

-- Every synced row of the post tables of every enabled connector (seed
-- connector_columns; project variables <connector>_enabled), typed into the
-- posts staging contract, with every defect of the row. Rebuilt at every build:
-- the connector's tables are its history.
{{ base_connector_entity('posts') }}
