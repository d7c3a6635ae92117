-- Paid social spend per organisation, ad network, platform and month from the
-- ad managers' exports (int_ad_results_deduplicated), in the organisation's
-- reporting currency with the month's rate of the FX seed. `platform` is one
-- platform where the export says it (Meta's Platform breakdown, LinkedIn), else
-- every platform of the network (`facebook|instagram`, is_platform_split false).
-- A row whose currency has no rate for its month gets a null amount (tested).

with results as (
    select * from {{ ref('int_ad_results_deduplicated') }}
),

converted as (
    select
        results.*,
        organizations.reporting_currency,
        case
            when results.currency_code = organizations.reporting_currency then 1.0
            else fx.rate
        end as fx_rate
    from results
    inner join {{ ref('organizations') }} as organizations
        on results.organization_id = organizations.organization_id
    left join {{ ref('fx_rates') }} as fx
        on
            {{ format_year_month('results.spend_month') }} = fx.rate_month
            and results.currency_code = fx.from_currency
            and organizations.reporting_currency = fx.to_currency
)

select
    organization_id,
    ad_network,
    platform,
    spend_month,
    bool_and(is_platform_split) as is_platform_split,
    any_value(reporting_currency) as reporting_currency,
    {{ sorted_text_agg('currency_code', ', ', distinct=true) }} as ad_account_currencies,
    -- null when any row lacks a rate: never a partial sum
    case
        when count(*) = count(fx_rate) then round(sum(amount_spent * fx_rate), 2)
    end as amount_reporting,
    cast(sum(impressions) as bigint) as impressions,
    cast(sum(post_engagements) as bigint) as post_engagements,
    count(*) as ad_rows,
    count(distinct source_file_hash) as source_files,
    'ad_exports' as spend_source
from converted
group by organization_id, ad_network, platform, spend_month
