-- One row per organisation, with how many social accounts it runs.

with organizations as (
    select * from {{ ref('organizations') }}
),

accounts as (
    select
        organization_id,
        count(*) as social_accounts,
        count(distinct platform) as platforms
    from {{ ref('social_accounts') }}
    group by organization_id
)

select
    organizations.organization_id,
    organizations.organization_name,
    organizations.institution_type,
    organizations.industry,
    organizations.country_code,
    organizations.reporting_currency,
    organizations.is_sample,
    coalesce(accounts.social_accounts, 0) as social_accounts,
    coalesce(accounts.platforms, 0) as platforms
from organizations
left join accounts
    on organizations.organization_id = accounts.organization_id
